package dev.homelab.core.metrics;

import dev.homelab.core.ValidationException;
import java.time.Instant;
import java.util.Objects;

/**
 * What to read of a {@link MetricTable}: a time range, optionally a tier, optionally at most a
 * number of rows.
 *
 * @param table the table
 * @param range the range; its start is rounded down to the tier's bucket
 * @param tier the tier to read, or {@code null} for the finest tier that covers the range
 * @param maxPoints at most this many rows, reduced with LTTB along the table's primary column; 0
 *     for no limit
 */
public record MetricTableQuery(MetricTable table, TimeRange range, String tier, int maxPoints) {

  /**
   * Checks the components.
   *
   * @throws ValidationException if the range starts before 1970 or {@code maxPoints} is negative, 1
   *     or 2
   */
  public MetricTableQuery {
    Objects.requireNonNull(table, "table");
    Objects.requireNonNull(range, "range");
    if (range.from() < 0) {
      throw new ValidationException("from", "from must not be before 1970");
    }
    MetricQuery.checkMaxPoints(maxPoints);
  }

  /**
   * @param table the table
   * @param range the range
   * @return a query of that range, on the finest tier that covers it, every row
   */
  public static MetricTableQuery of(MetricTable table, TimeRange range) {
    return new MetricTableQuery(table, range, null, 0);
  }

  /**
   * @param table the table
   * @param period how far back from now
   * @param now the current time
   * @return a query of that period, on the finest tier that covers it, every row
   */
  public static MetricTableQuery last(MetricTable table, Period period, Instant now) {
    return of(table, TimeRange.last(period, now));
  }

  /**
   * @param tierName a tier's name
   * @return this query on that tier
   */
  public MetricTableQuery onTier(String tierName) {
    return new MetricTableQuery(table, range, tierName, maxPoints);
  }

  /**
   * @param points at most this many rows; 0 for no limit
   * @return this query, reduced to at most that many rows
   */
  public MetricTableQuery withMaxPoints(int points) {
    return new MetricTableQuery(table, range, tier, points);
  }
}
