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
}
