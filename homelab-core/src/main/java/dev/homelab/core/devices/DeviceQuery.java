package dev.homelab.core.devices;

import dev.homelab.core.ValidationException;

/**
 * A page of devices, oldest first.
 *
 * @param deviceType only devices of this type, or {@code null} for all
 * @param limit at most this many, 1 to {@value #MAX_LIMIT}
 * @param cursor the {@code nextCursor} of the previous page, or {@code null} for the first
 */
public record DeviceQuery(String deviceType, int limit, String cursor) {

  /** The largest page. */
  public static final int MAX_LIMIT = 500;

  /** The page size when none is asked for. */
  public static final int DEFAULT_LIMIT = 100;

  /** Checks the components. */
  public DeviceQuery {
    if (deviceType != null) {
      deviceType = DeviceFields.deviceType(deviceType);
    }
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new ValidationException("limit", "limit must be between 1 and " + MAX_LIMIT);
    }
    if (cursor != null && !cursor.matches("[0-9a-f-]{36}")) {
      throw new ValidationException("cursor", "cursor is not one this server gave out");
    }
  }

  /**
   * @return the first {@value #DEFAULT_LIMIT} devices of every type
   */
  public static DeviceQuery first() {
    return new DeviceQuery(null, DEFAULT_LIMIT, null);
  }
}
