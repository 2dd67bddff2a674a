package dev.homelab.core.metrics;

import dev.homelab.core.ValidationException;
import java.time.Instant;
import java.util.Objects;

/**
 * What to read of one series: a time range, optionally a tier, optionally at most a number of
 * points.
 *
 * @param series the series
 * @param from the start of the range, inclusive, in milliseconds since the epoch
 * @param to the end of the range, exclusive
 * @param tier the tier to read, or {@code null} for the finest tier that covers the range
 * @param maxPoints at most this many points, reduced with LTTB; 0 for no limit
 */
public record MetricQuery(SeriesKey series, long from, long to, String tier, int maxPoints) {

  /** The fewest points a reduction may ask for: {@value}. */
  public static final int MIN_MAX_POINTS = 3;

  /**
   * Checks the components.
   *
   * @throws ValidationException if the range is empty or {@code maxPoints} is negative, 1 or 2
   */
  public MetricQuery {
    Objects.requireNonNull(series, "series");
    if (from < 0 || to <= from) {
      throw new ValidationException("from", "from must be before to");
    }
    checkMaxPoints(maxPoints);
  }

  /** Refuses a negative limit, and limits of 1 or 2, which cannot keep a first and a last point. */
  static void checkMaxPoints(int maxPoints) {
    if (maxPoints < 0 || (maxPoints > 0 && maxPoints < MIN_MAX_POINTS)) {
      throw new ValidationException(
          "max_points", "max_points must be at least " + MIN_MAX_POINTS + " (or 0 for all)");
    }
  }

  /**
   * @param series the series
   * @param period how far back from now
   * @param now the current time
   * @return a query for that period, on the finest tier that covers it
   */
  public static MetricQuery last(SeriesKey series, Period period, Instant now) {
    long[] range = period.range(now);
    return new MetricQuery(series, range[0], range[1], null, 0);
  }

  /**
   * @param series the series
   * @param from the start, inclusive
   * @param to the end, exclusive
   * @return a query for that range, on the finest tier that covers it
   */
  public static MetricQuery range(SeriesKey series, Instant from, Instant to) {
    return new MetricQuery(series, from.toEpochMilli(), to.toEpochMilli(), null, 0);
  }

  /**
   * @param tierName a tier's name
   * @return this query on that tier
   */
  public MetricQuery onTier(String tierName) {
    return new MetricQuery(series, from, to, tierName, maxPoints);
  }

  /**
   * @param points at most this many points; 0 for no limit
   * @return this query, reduced to at most that many points
   */
  public MetricQuery withMaxPoints(int points) {
    return new MetricQuery(series, from, to, tier, points);
  }
}
