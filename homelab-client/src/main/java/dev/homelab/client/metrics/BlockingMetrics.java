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
}
