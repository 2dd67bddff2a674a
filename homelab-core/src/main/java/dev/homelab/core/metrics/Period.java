package dev.homelab.core.metrics;

import dev.homelab.core.ValidationException;
import java.time.Duration;
import java.time.Instant;

/** The named look-back periods of the metrics API (seed 003). */
public enum Period {
  /** The last hour. */
  HOUR("1h", Duration.ofHours(1)),
  /** The last 6 hours. */
  SIX_HOURS("6h", Duration.ofHours(6)),
  /** The last 24 hours. */
  DAY("24h", Duration.ofHours(24)),
  /** The last 7 days. */
  WEEK("7d", Duration.ofDays(7)),
  /** The last 30 days. */
  MONTH("30d", Duration.ofDays(30));

  private final String text;
  private final Duration length;

  Period(String text, Duration length) {
    this.text = text;
    this.length = length;
  }

  /**
   * @return the period as the API spells it, for example {@code 24h}
   */
  public String text() {
    return text;
  }

  /**
   * @return how far back it reaches
   */
  public Duration length() {
    return length;
  }

  /**
   * @param now the current time
   * @return the period's range ending now (inclusive), as {@code [from, to)} in milliseconds since
   *     the epoch
   */
  public long[] range(Instant now) {
    long to = now.toEpochMilli() + 1;
    return new long[] {to - length.toMillis(), to};
  }

  /**
   * @param text {@code 1h}, {@code 6h}, {@code 24h}, {@code 7d} or {@code 30d}
   * @return the period
   * @throws ValidationException if the text is none of these
   */
  public static Period parse(String text) {
    for (Period period : values()) {
      if (period.text.equals(text)) {
        return period;
      }
    }
    throw new ValidationException("period", "period must be one of 1h, 6h, 24h, 7d, 30d");
  }
}
