package dev.homelab.core.access;

import dev.homelab.core.ValidationException;
import java.time.Instant;

/**
 * A page of the access log, newest first. Every filter is optional.
 *
 * @param deviceId only this reader
 * @param cardUid only this card, in any {@link CardUid} form
 * @param granted only granted ({@code true}) or denied ({@code false}) decisions
 * @param from only decisions at or after this time
 * @param to only decisions before this time
 * @param limit at most this many, 1 to {@value #MAX_LIMIT}
 * @param cursor the {@code nextCursor} of the previous page, or {@code null} for the first
 */
public record AccessLogQuery(
    String deviceId,
    String cardUid,
    Boolean granted,
    Instant from,
    Instant to,
    int limit,
    String cursor) {

  /** The largest page. */
  public static final int MAX_LIMIT = 1000;

  /** The page size when none is asked for. */
  public static final int DEFAULT_LIMIT = 100;

  /** Checks and normalises the components. */
  public AccessLogQuery {
    if (deviceId != null) {
      deviceId = ReaderIds.check("device_id", deviceId);
    }
    if (cardUid != null) {
      cardUid = CardUid.normalize(cardUid);
    }
    if (from != null && to != null && !from.isBefore(to)) {
      throw new ValidationException("from", "from must be before to");
    }
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new ValidationException("limit", "limit must be between 1 and " + MAX_LIMIT);
    }
    if (cursor != null
        && !cursor.matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")) {
      throw new ValidationException("cursor", "cursor is not one this server gave out");
    }
  }

  /**
   * @return the newest {@value #DEFAULT_LIMIT} decisions
   */
  public static AccessLogQuery newest() {
    return new AccessLogQuery(null, null, null, null, null, DEFAULT_LIMIT, null);
  }
}
