package dev.homelab.client.impl;

import dev.homelab.client.metrics.HostMetrics;
import dev.homelab.client.metrics.MetricQuery;
import dev.homelab.client.metrics.MetricSeries;
import dev.homelab.client.metrics.MetricsApi;
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
}
