package dev.homelab.client.access;

import dev.homelab.client.CursorQuery;
import dev.homelab.client.Page;
import dev.homelab.client.internal.QueryParams;
import java.time.Instant;
import java.util.Map;

/**
 * Which rows {@code GET /api/access/logs} lists: filters, a page size and the cursor of the page.
 * Fields left {@code null} are not sent, so the server's defaults apply. Start from {@link
 * #newest()} and narrow it with the {@code with...} methods, each of which returns a new query.
 *
 * @param deviceId only decisions at this reader, or {@code null} for all
 * @param cardUid only decisions about this card, in any form the server reads (for example {@code
 *     ba:83:9d:07}), or {@code null} for all
 * @param granted only granted ({@code true}) or only denied ({@code false}) decisions, or {@code
 *     null} for both
 * @param from only decisions at or after this time, or {@code null}
 * @param to only decisions before this time, or {@code null}
 * @param limit how many rows per page (the server accepts 1 to 1000, default 100), or {@code null}
 * @param cursor the {@link Page#nextCursor()} of the previous page, or {@code null} for the first
 */
public record AccessLogQuery(
    String deviceId,
    String cardUid,
    Boolean granted,
    Instant from,
    Instant to,
    Integer limit,
    String cursor)
    implements CursorQuery<AccessLogQuery> {

  private static final AccessLogQuery FIRST_PAGE =
      new AccessLogQuery(null, null, null, null, null, null, null);

  /**
   * Checks the limit.
   *
   * @param deviceId the reader, or {@code null}
   * @param cardUid the card, or {@code null}
   * @param granted granted or denied, or {@code null}
   * @param from the lower time bound, or {@code null}
   * @param to the upper time bound, or {@code null}
   * @param limit how many rows per page, or {@code null}
   * @param cursor the cursor, or {@code null}
   * @throws IllegalArgumentException if the limit is below 1
   */
  public AccessLogQuery {
    if (limit != null && limit < 1) {
      throw new IllegalArgumentException("limit must be at least 1");
    }
  }

  /**
   * @return the first page of the whole log, newest first, with the server's page size
   */
  public static AccessLogQuery newest() {
    return FIRST_PAGE;
  }

  /**
   * @param deviceId only decisions at this reader, or {@code null} for all
   * @return a copy of this query with that filter
   */
  public AccessLogQuery withDeviceId(String deviceId) {
    return new AccessLogQuery(deviceId, cardUid, granted, from, to, limit, cursor);
  }

  /**
   * @param cardUid only decisions about this card, in any form, or {@code null} for all
   * @return a copy of this query with that filter
   */
  public AccessLogQuery withCardUid(String cardUid) {
    return new AccessLogQuery(deviceId, cardUid, granted, from, to, limit, cursor);
  }

  /**
   * @param granted {@code true} for granted decisions only, {@code false} for denied ones only,
   *     {@code null} for both
   * @return a copy of this query with that filter
   */
  public AccessLogQuery withGranted(Boolean granted) {
    return new AccessLogQuery(deviceId, cardUid, granted, from, to, limit, cursor);
  }

  /**
   * @param from only decisions at or after this time, or {@code null}
   * @return a copy of this query with that bound
   */
  public AccessLogQuery withFrom(Instant from) {
    return new AccessLogQuery(deviceId, cardUid, granted, from, to, limit, cursor);
  }

  /**
   * @param to only decisions before this time, or {@code null}
   * @return a copy of this query with that bound
   */
  public AccessLogQuery withTo(Instant to) {
    return new AccessLogQuery(deviceId, cardUid, granted, from, to, limit, cursor);
  }

  /**
   * @param limit how many rows per page, at least 1
   * @return a copy of this query with that page size
   * @throws IllegalArgumentException if below 1
   */
  public AccessLogQuery withLimit(int limit) {
    return new AccessLogQuery(deviceId, cardUid, granted, from, to, limit, cursor);
  }

  /**
   * @param cursor the {@link Page#nextCursor()} of the previous page, or {@code null} for the first
   * @return a copy of this query for that page
   */
  @Override
  public AccessLogQuery withCursor(String cursor) {
    return new AccessLogQuery(deviceId, cardUid, granted, from, to, limit, cursor);
  }

  /**
   * @return the query parameters, unencoded, leaving out the fields that are {@code null}; times
   *     are ISO-8601
   */
  public Map<String, String> toQueryParams() {
    return new QueryParams()
        .put("device_id", deviceId)
        .put("card_uid", cardUid)
        .put("granted", granted)
        .put("from", from)
        .put("to", to)
        .put("limit", limit)
        .put("cursor", cursor)
        .build();
  }
}
