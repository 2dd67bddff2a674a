package dev.homelab.core.audit;

import dev.homelab.core.ValidationException;
import java.time.Instant;
import java.util.regex.Pattern;

/**
 * A filter over the audit log, newest first; {@code null} components do not filter.
 *
 * @param action only this action
 * @param actorId only this actor
 * @param outcome only this outcome
 * @param from only entries at or after this time
 * @param to only entries before this time
 * @param limit at most this many entries, 1 to {@value #MAX_LIMIT}
 * @param cursor the {@code nextCursor} of the previous page, or {@code null} for the first
 */
public record AuditQuery(
    String action,
    String actorId,
    String outcome,
    Instant from,
    Instant to,
    int limit,
    String cursor) {

  /** The largest page. */
  public static final int MAX_LIMIT = 500;

  private static final Pattern CURSOR = Pattern.compile("[1-9][0-9]{0,17}");

  /** The page size when none is asked for. */
  public static final int DEFAULT_LIMIT = 100;

  /** Checks the limit and the cursor. */
  public AuditQuery {
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new ValidationException("limit", "limit must be between 1 and " + MAX_LIMIT);
    }
    if (cursor != null) {
      beforeId(cursor);
    }
  }

  /**
   * @return a query for the newest {@value #DEFAULT_LIMIT} entries
   */
  public static AuditQuery newest() {
    return new AuditQuery(null, null, null, null, null, DEFAULT_LIMIT, null);
  }

  /**
   * @param cursor a cursor given out with a page
   * @return the id the next page starts below
   */
  static long beforeId(String cursor) {
    // Exactly the ids this server hands out, as /openapi.json describes them: no sign, no leading
    // zero, at most 18 digits (so never out of range).
    if (CURSOR.matcher(cursor).matches()) {
      return Long.parseLong(cursor);
    }
    throw new ValidationException("cursor", "cursor is not one this server gave out");
  }

  /**
   * @return the id the page starts below, or {@link Long#MAX_VALUE} for the first page
   */
  public long beforeId() {
    return cursor == null ? Long.MAX_VALUE : beforeId(cursor);
  }
}
