package dev.homelab.client.impl;

import dev.homelab.client.metrics.AutomationMetrics;
import dev.homelab.client.metrics.DeviceMetrics;
import dev.homelab.client.metrics.GuestMetrics;
import dev.homelab.client.metrics.HostMetrics;
import dev.homelab.client.metrics.MetricQuery;
import dev.homelab.client.metrics.MetricSeries;
import dev.homelab.client.metrics.MetricsApi;
import dev.homelab.client.metrics.ServerMetrics;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;

/** {@link MetricsApi} over the transport. */
final class MetricsClient implements MetricsApi {

  private final Transport transport;

  MetricsClient(Transport transport) {
    this.transport = transport;
  }

  @Override
  public Future<HostMetrics> host(MetricQuery query) {
    return transport.get("/api/metrics/host", query.toQueryParams(), HostMetrics::fromJson);
  }

  @Override
  public Future<List<String>> series() {
    return transport.get(
        "/api/metrics/series",
        json -> {
          List<String> keys = new ArrayList<>();
          json.getJsonArray("series").forEach(k -> keys.add((String) k));
          return List.copyOf(keys);
        });
  }

  @Override
  public Future<MetricSeries> query(MetricQuery query) {
    return transport.get("/api/metrics/query", query.toQueryParams(), MetricSeries::fromJson);
  }

  @Override
  public Future<ServerMetrics> server(String serverId, MetricQuery query) {
    return transport.get(
        "/api/metrics/server/" + Transport.segment(serverId),
        historyParams(query),
        ServerMetrics::fromJson);
  }

  @Override
  public Future<GuestMetrics> vm(String serverId, long vmid, MetricQuery query) {
    return transport.get(
        "/api/metrics/vm/" + Transport.segment(serverId) + "/" + vmid,
        historyParams(query),
        GuestMetrics::fromJson);
  }

  @Override
  public Future<AutomationMetrics> automation(String name, MetricQuery query) {
    return transport.get(
        "/api/metrics/automation/" + Transport.segment(name),
        historyParams(query),
        AutomationMetrics::fromJson);
  }

  @Override
  public Future<DeviceMetrics> device(String topic, MetricQuery query) {
    return transport.get(
        "/api/metrics/device/" + Transport.segment(topic),
        historyParams(query),
        DeviceMetrics::fromJson);
  }

  /** The parameters of a table route, which reads no named series and picks its own tier. */
  private static java.util.Map<String, String> historyParams(MetricQuery query) {
    return new MetricQuery(null, query.period(), query.from(), query.to(), null, query.maxPoints())
        .toQueryParams();
  }
}
