package dev.homelab.client.devices;

import dev.homelab.client.CursorQuery;
import dev.homelab.client.Page;
import dev.homelab.client.internal.QueryParams;
import java.util.Map;

/**
 * Which devices {@code GET /api/devices} lists: a filter, a page size and the cursor of the page.
 * Fields left {@code null} are not sent, so the server's defaults apply. Start from {@link
 * #create()} and narrow it with the {@code with...} methods, each of which returns a new query.
 *
 * @param limit how many devices per page (the server accepts 1 to 500, default 100), or {@code
 *     null}
 * @param cursor the {@link Page#nextCursor()} of the previous page, or {@code null} for the first
 * @param deviceType only devices of this type, or {@code null} for all
 */
public record DeviceQuery(Integer limit, String cursor, String deviceType)
    implements CursorQuery<DeviceQuery> {

  private static final DeviceQuery FIRST_PAGE = new DeviceQuery(null, null, null);

  /**
   * Checks the limit.
   *
   * @param limit how many devices per page, or {@code null}
   * @param cursor the cursor, or {@code null}
   * @param deviceType the type, or {@code null}
   * @throws IllegalArgumentException if the limit is below 1
   */
  public DeviceQuery {
    if (limit != null && limit < 1) {
      throw new IllegalArgumentException("limit must be at least 1");
    }
  }

  /**
   * @return the first page of every device the caller may see, with the server's page size
   */
  public static DeviceQuery create() {
    return FIRST_PAGE;
  }

  /**
   * @param limit how many devices per page, at least 1
   * @return a copy of this query with that page size
   * @throws IllegalArgumentException if below 1
   */
  public DeviceQuery withLimit(int limit) {
    return new DeviceQuery(limit, cursor, deviceType);
  }

  /**
   * @param cursor the {@link Page#nextCursor()} of the previous page, or {@code null} for the first
   * @return a copy of this query for that page
   */
  @Override
  public DeviceQuery withCursor(String cursor) {
    return new DeviceQuery(limit, cursor, deviceType);
  }

  /**
   * @param deviceType only devices of this type, or {@code null} for all
   * @return a copy of this query with that filter
   */
  public DeviceQuery withDeviceType(String deviceType) {
    return new DeviceQuery(limit, cursor, deviceType);
  }

  /**
   * @return the query parameters, unencoded, leaving out the fields that are {@code null}
   */
  public Map<String, String> toQueryParams() {
    return new QueryParams()
        .put("limit", limit)
        .put("cursor", cursor)
        .put("device_type", deviceType)
        .build();
  }
}
