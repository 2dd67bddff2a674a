package dev.homelab.client.metrics;

import dev.homelab.client.internal.QueryParams;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * What to read of a metric series ({@code GET /api/metrics/query}) or of the host's metrics ({@code
 * GET /api/metrics/host}): a period back from now or a range, optionally a tier and a point limit.
 *
 * @param series the series' canonical key, such as {@code host.cpu.percent} (unused for the host
 *     route)
 * @param period {@code 1h}, {@code 6h}, {@code 24h}, {@code 7d} or {@code 30d}; {@code null} with a
 *     range
 * @param from the range's start, or {@code null} with a period
 * @param to the range's end (exclusive), or {@code null} with a period
 * @param tier a tier to read instead of the finest that covers the range, or {@code null}
 * @param maxPoints reduce to at most this many points (LTTB); 0 for all
 */
public record MetricQuery(
    String series, String period, Instant from, Instant to, String tier, int maxPoints) {

  /**
   * @param series the series' key
   * @param period how far back, for example {@code 24h}
   * @return a query for that period
   */
  public static MetricQuery last(String series, String period) {
    return new MetricQuery(series, Objects.requireNonNull(period, "period"), null, null, null, 0);
  }

  /**
   * @param series the series' key
   * @param from the start
   * @param to the end, exclusive
   * @return a query for that range
   */
  public static MetricQuery range(String series, Instant from, Instant to) {
    return new MetricQuery(
        series,
        null,
        Objects.requireNonNull(from, "from"),
        Objects.requireNonNull(to, "to"),
        null,
        0);
  }

  /**
   * @param tierName a tier, such as {@code 1m}
   * @return this query on that tier
   */
  public MetricQuery onTier(String tierName) {
    return new MetricQuery(series, period, from, to, tierName, maxPoints);
  }

  /**
   * @param points at most this many points; 0 for all
   * @return this query reduced
   */
  public MetricQuery withMaxPoints(int points) {
    return new MetricQuery(series, period, from, to, tier, points);
  }

  /**
   * @return the query parameters
   */
  public Map<String, String> toQueryParams() {
    return new QueryParams()
        .put("series", series)
        .put("period", period)
        .put("from", from)
        .put("to", to)
        .put("tier", tier)
        .put("max_points", maxPoints == 0 ? null : maxPoints)
        .build();
  }
}
