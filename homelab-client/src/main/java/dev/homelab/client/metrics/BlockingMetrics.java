package dev.homelab.client.metrics;

import dev.homelab.client.BlockingHomelabClient;
import dev.homelab.client.internal.Waiter;
import java.util.List;

/**
 * The metric history endpoints of {@link MetricsApi} for code that waits: each method calls the
 * asynchronous one and waits for its answer, as {@link BlockingHomelabClient} describes.
 * Thread-safe.
 */
public final class BlockingMetrics {

  private final MetricsApi metrics;
  private final Waiter waiter;

  /**
   * @param metrics the asynchronous API to wrap
   * @param timeoutMs the client's timeout, in milliseconds: each call waits at most that, plus a
   *     second of grace
   */
  public BlockingMetrics(MetricsApi metrics, long timeoutMs) {
    this.metrics = metrics;
    this.waiter = new Waiter(timeoutMs);
  }

  /**
   * Like {@link MetricsApi#host(String)}.
   *
   * @param period {@code 1h}, {@code 6h}, {@code 24h}, {@code 7d} or {@code 30d}
   * @return the host's metrics
   */
  public HostMetrics host(String period) {
    return waiter.await(metrics.host(period));
  }

  /**
   * Like {@link MetricsApi#host(MetricQuery)}.
   *
   * @param query the period or range and the point limit
   * @return the host's metrics
   */
  public HostMetrics host(MetricQuery query) {
    return waiter.await(metrics.host(query));
  }

  /**
   * Like {@link MetricsApi#series()}.
   *
   * @return every series' key
   */
  public List<String> series() {
    return waiter.await(metrics.series());
  }

  /**
   * Like {@link MetricsApi#query(MetricQuery)}.
   *
   * @param query the series and the period or range
   * @return the buckets
   */
  public MetricSeries query(MetricQuery query) {
    return waiter.await(metrics.query(query));
  }

  /**
   * Like {@link MetricsApi#server(String, String)}.
   *
   * @param serverId a server id
   * @param period {@code 1h}, {@code 6h}, {@code 24h}, {@code 7d} or {@code 30d}
   * @return the server's metrics
   */
  public ServerMetrics server(String serverId, String period) {
    return waiter.await(metrics.server(serverId, period));
  }

  /**
   * Like {@link MetricsApi#server(String, MetricQuery)}.
   *
   * @param serverId a server id
   * @param query the period or range and the point limit
   * @return the server's metrics
   */
  public ServerMetrics server(String serverId, MetricQuery query) {
    return waiter.await(metrics.server(serverId, query));
  }

  /**
   * Like {@link MetricsApi#vm(String, long, String)}.
   *
   * @param serverId a server id
   * @param vmid the guest's id
   * @param period {@code 1h}, {@code 6h}, {@code 24h}, {@code 7d} or {@code 30d}
   * @return the guest's metrics
   */
  public GuestMetrics vm(String serverId, long vmid, String period) {
    return waiter.await(metrics.vm(serverId, vmid, period));
  }

  /**
   * Like {@link MetricsApi#vm(String, long, MetricQuery)}.
   *
   * @param serverId a server id
   * @param vmid the guest's id
   * @param query the period or range and the point limit
   * @return the guest's metrics
   */
  public GuestMetrics vm(String serverId, long vmid, MetricQuery query) {
    return waiter.await(metrics.vm(serverId, vmid, query));
  }

  /**
   * Like {@link MetricsApi#automation(String, String)}.
   *
   * @param name the automation's name
   * @param period {@code 1h}, {@code 6h}, {@code 24h}, {@code 7d} or {@code 30d}
   * @return the automation's counts
   */
  public AutomationMetrics automation(String name, String period) {
    return waiter.await(metrics.automation(name, period));
  }

  /**
   * Like {@link MetricsApi#automation(String, MetricQuery)}.
   *
   * @param name the automation's name
   * @param query the period or range and the point limit
   * @return the automation's counts
   */
  public AutomationMetrics automation(String name, MetricQuery query) {
    return waiter.await(metrics.automation(name, query));
  }

  /**
   * Like {@link MetricsApi#device(String, String)}.
   *
   * @param topic the device's MQTT topic
   * @param period {@code 1h}, {@code 6h}, {@code 24h}, {@code 7d} or {@code 30d}
   * @return the device's history
   */
  public DeviceMetrics device(String topic, String period) {
    return waiter.await(metrics.device(topic, period));
  }

  /**
   * Like {@link MetricsApi#device(String, MetricQuery)}.
   *
   * @param topic the device's MQTT topic
   * @param query the period or range and the limit
   * @return the device's history
   */
  public DeviceMetrics device(String topic, MetricQuery query) {
    return waiter.await(metrics.device(topic, query));
  }
}
