package dev.homelab.core.metrics;

import dev.homelab.core.ValidationException;
import dev.homelab.core.internal.JsonInput;
import java.time.Clock;
import java.time.Instant;

/**
 * A range of time to read: a named {@link Period} back from now, or an explicit {@code [from, to)}.
 *
 * <p>{@link #resolve(String, Instant, Instant, Clock)} turns the metrics API's parameters ({@code
 * period}, or {@code from} and {@code to}) into a range, with the API's rules and field names, so
 * that every metrics route and an embedding app read them alike.
 *
 * @param period the period the range was asked as, or {@code null} for an explicit range
 * @param from the start, inclusive, in milliseconds since the epoch
 * @param to the end, exclusive, in milliseconds since the epoch
 */
public record TimeRange(Period period, long from, long to) {

  /** The period of a request that names neither a period nor a range: {@value}. */
  public static final String DEFAULT_PERIOD = "1h";

  /**
   * Checks the components.
   *
   * @throws ValidationException naming {@code to} if the range is empty
   */
  public TimeRange {
    if (to <= from) {
      throw new ValidationException("to", "to must be after from");
    }
  }

  /**
   * @param period how far back from now
   * @param now the current time
   * @return the period's range ending now (inclusive)
   */
  public static TimeRange last(Period period, Instant now) {
    long[] range = period.range(now);
    return new TimeRange(period, range[0], range[1]);
  }

  /**
   * @param from the start, inclusive
   * @param to the end, exclusive
   * @return the range
   * @throws ValidationException naming {@code to} if {@code to} is not after {@code from}, and the
   *     end that lies outside 1970 to the end of 9999
   */
  public static TimeRange between(Instant from, Instant to) {
    JsonInput.within("from", from);
    JsonInput.within("to", to);
    if (!from.isBefore(to)) {
      throw new ValidationException("to", "to must be after from");
    }
    return new TimeRange(null, from.toEpochMilli(), to.toEpochMilli());
  }

  /**
   * Reads the range a metrics request asks for: a period, {@value #DEFAULT_PERIOD} when the request
   * gives nothing, or {@code from} and {@code to} together, never both a period and a range.
   *
   * @param period the period's text ({@code 1h}, {@code 6h}, {@code 24h}, {@code 7d}, {@code 30d}),
   *     or {@code null}
   * @param from the range's start, or {@code null}
   * @param to the range's end, exclusive, or {@code null}
   * @param clock what "now" is for a period
   * @return the range
   * @throws ValidationException naming {@code period}, {@code from} or {@code to}: an unknown
   *     period, a period with a range, one end of a range without the other, or an empty range
   */
  public static TimeRange resolve(String period, Instant from, Instant to, Clock clock) {
    if (from == null && to == null) {
      return last(Period.parse(period == null ? DEFAULT_PERIOD : period), clock.instant());
    }
    if (period != null) {
      throw new ValidationException("period", "give either period or from and to, not both");
    }
    if (from == null || to == null) {
      throw new ValidationException(from == null ? "from" : "to", "from and to go together");
    }
    return between(from, to);
  }

  /**
   * @return the period as the API spells it, for example {@code 24h}, or {@code null} for an
   *     explicit range
   */
  public String periodText() {
    return period == null ? null : period.text();
  }

  /**
   * @return the start, inclusive
   */
  public Instant fromInstant() {
    return Instant.ofEpochMilli(from);
  }

  /**
   * @return the end, exclusive
   */
  public Instant toInstant() {
    return Instant.ofEpochMilli(to);
  }
}
