package dev.homelab.core.metrics;

import dev.homelab.core.ValidationException;
import java.time.Instant;
import java.util.Objects;

/**
 * One measurement of a series.
 *
 * <p>A series has at most one point per millisecond: a second point at the same time is a duplicate
 * and is ignored, so a collector that retries a write never counts twice.
 *
 * @param series the series
 * @param time when it was measured, in milliseconds since the epoch
 * @param value the value; finite
 */
public record Point(SeriesKey series, long time, double value) {

  /**
   * Checks the components.
   *
   * @throws ValidationException if the value is not finite or the time is negative
   */
  public Point {
    Objects.requireNonNull(series, "series");
    if (time < 0) {
      throw new ValidationException("time", "time must not be before 1970");
    }
    if (!Double.isFinite(value)) {
      throw new ValidationException("value", "value must be a finite number");
    }
  }

  /**
   * @param series the series
   * @param time when it was measured
   * @param value the value
   * @return the point
   */
  public static Point of(SeriesKey series, Instant time, double value) {
    return new Point(series, time.toEpochMilli(), value);
  }
}
