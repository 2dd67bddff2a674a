package dev.homelab.client.metrics;

import io.vertx.core.Future;
import java.util.List;

/**
 * Metric history ({@code /api/metrics}); viewers and up. The server answers from the finest tier
 * that covers the range: raw points for 1h, 1-minute buckets for 6h and 24h, 5-minute for 7d,
 * 30-minute for 30d.
 */
public interface MetricsApi {

  /**
   * Like {@link #host(MetricQuery)} for a period back from now.
   *
   * @param period {@code 1h}, {@code 6h}, {@code 24h}, {@code 7d} or {@code 30d}
   * @return the host's metrics
   */
  default Future<HostMetrics> host(String period) {
    return host(MetricQuery.last(null, period));
  }

  /**
   * {@code GET /api/metrics/host}.
   *
   * @param query the period or range and the point limit (its series is ignored)
   * @return the host's metrics, one row per bucket
   */
  Future<HostMetrics> host(MetricQuery query);

  /**
   * {@code GET /api/metrics/series}.
   *
   * @return the canonical key of every series written
   */
  Future<List<String>> series();

  /**
   * {@code GET /api/metrics/query}.
   *
   * @param query the series and the period or range
   * @return the buckets
   */
  Future<MetricSeries> query(MetricQuery query);

  /**
   * Like {@link #server(String, MetricQuery)} for a period back from now.
   *
   * @param serverId a server id of {@code PROXMOX_SERVERS}
   * @param period {@code 1h}, {@code 6h}, {@code 24h}, {@code 7d} or {@code 30d}
   * @return the server's metrics
   */
  default Future<ServerMetrics> server(String serverId, String period) {
    return server(serverId, MetricQuery.last(null, period));
  }

  /**
   * {@code GET /api/metrics/server/{server_id}}: a Proxmox node's collected metrics.
   *
   * @param serverId a server id of {@code PROXMOX_SERVERS}; another fails with {@link
   *     dev.homelab.client.HomelabNotFoundException}
   * @param query the period or range and the point limit (its series and tier are ignored)
   * @return the server's metrics, one row per bucket
   */
  Future<ServerMetrics> server(String serverId, MetricQuery query);

  /**
   * Like {@link #vm(String, long, MetricQuery)} for a period back from now.
   *
   * @param serverId a server id of {@code PROXMOX_SERVERS}
   * @param vmid the guest's id
   * @param period {@code 1h}, {@code 6h}, {@code 24h}, {@code 7d} or {@code 30d}
   * @return the guest's metrics
   */
  default Future<GuestMetrics> vm(String serverId, long vmid, String period) {
    return vm(serverId, vmid, MetricQuery.last(null, period));
  }

  /**
   * {@code GET /api/metrics/vm/{server_id}/{vmid}}: a Proxmox guest's collected metrics.
   *
   * @param serverId a server id of {@code PROXMOX_SERVERS}
   * @param vmid the guest's id, 100 to 999999999; a guest never collected fails with {@link
   *     dev.homelab.client.HomelabNotFoundException}
   * @param query the period or range and the point limit (its series and tier are ignored)
   * @return the guest's metrics, one row per bucket
   */
  Future<GuestMetrics> vm(String serverId, long vmid, MetricQuery query);

  /**
   * Like {@link #automation(String, MetricQuery)} for a period back from now.
   *
   * @param name the automation's name, such as {@code main/kitchen/motion_light}
   * @param period {@code 1h}, {@code 6h}, {@code 24h}, {@code 7d} or {@code 30d}
   * @return the automation's counts
   */
  default Future<AutomationMetrics> automation(String name, String period) {
    return automation(name, MetricQuery.last(null, period));
  }

  /**
   * {@code GET /api/metrics/automation/{name}}: an automation's collected trigger and error counts.
   *
   * @param name the automation's name, such as {@code main/kitchen/motion_light}; one never
   *     collected fails with {@link dev.homelab.client.HomelabNotFoundException}
   * @param query the period or range and the point limit (its series and tier are ignored)
   * @return the automation's counts, one row per bucket
   */
  Future<AutomationMetrics> automation(String name, MetricQuery query);

  /**
   * Like {@link #device(String, MetricQuery)} for a period back from now.
   *
   * @param topic the device's MQTT topic, such as {@code zigbee2mqtt/livingroom/window}
   * @param period {@code 1h}, {@code 6h}, {@code 24h}, {@code 7d} or {@code 30d}
   * @return the device's history
   */
  default Future<DeviceMetrics> device(String topic, String period) {
    return device(topic, MetricQuery.last(null, period));
  }

  /**
   * {@code GET /api/metrics/device/{topic}}: a device's recorded state changes, availability and
   * numeric series.
   *
   * @param topic the device's MQTT topic (encoded by the client); one never recorded fails with
   *     {@link dev.homelab.client.HomelabNotFoundException}
   * @param query the period or range, and at most how many changes and rows (its series and tier
   *     are ignored)
   * @return the device's history
   */
  Future<DeviceMetrics> device(String topic, MetricQuery query);
}
