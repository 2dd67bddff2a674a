package dev.homelab.core.upstream.proxmox;

import dev.homelab.core.ValidationException;
import java.util.Locale;

/**
 * How far back a Proxmox RRD query reaches; Proxmox answers about 70 points for each, averaged over
 * a step that grows with the timeframe (a minute for an hour, half an hour for a day, ...).
 */
public enum Timeframe {
  /** The last hour. */
  HOUR,
  /** The last day. */
  DAY,
  /** The last week. */
  WEEK,
  /** The last month. */
  MONTH,
  /** The last year. */
  YEAR;

  /**
   * @return the name Proxmox expects, such as {@code hour}
   */
  public String apiName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * @param value {@code hour}, {@code day}, {@code week}, {@code month} or {@code year}, any case
   * @return the timeframe
   * @throws ValidationException for anything else, naming the field {@code timeframe}
   */
  public static Timeframe parse(String value) {
    if (value != null) {
      for (Timeframe timeframe : values()) {
        if (timeframe.apiName().equalsIgnoreCase(value.strip())) {
          return timeframe;
        }
      }
    }
    throw new ValidationException("timeframe", "one of hour, day, week, month, year");
  }
}
