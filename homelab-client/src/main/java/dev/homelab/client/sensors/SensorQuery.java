package dev.homelab.client.sensors;

import dev.homelab.client.internal.QueryParams;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What to read of a device's sensor history ({@code GET /api/sensors/readings}).
 *
 * @param deviceId the device
 * @param period {@code 1h}, {@code 6h}, {@code 24h}, {@code 7d} or {@code 30d}; {@code null} with a
 *     range (the server's default is {@code 1h})
 * @param from the range's start, or {@code null}
 * @param to the range's end (exclusive), or {@code null}
 * @param fields the fields to read; empty for all
 * @param maxPoints at most this many rows (LTTB); 0 for all
 */
public record SensorQuery(
    String deviceId, String period, Instant from, Instant to, List<String> fields, int maxPoints) {

  /** Copies the fields. */
  public SensorQuery {
    Objects.requireNonNull(deviceId, "deviceId");
    fields = fields == null ? List.of() : List.copyOf(fields);
  }

  /**
   * @param deviceId the device
   * @param period how far back, for example {@code 24h}
   * @return every field of that period
   */
  public static SensorQuery last(String deviceId, String period) {
    return new SensorQuery(deviceId, period, null, null, List.of(), 0);
  }

  /**
   * @param deviceId the device
   * @param from the start
   * @param to the end, exclusive
   * @return every field of that range
   */
  public static SensorQuery range(String deviceId, Instant from, Instant to) {
    return new SensorQuery(deviceId, null, from, to, List.of(), 0);
  }

  /**
   * @param names the fields to read
   * @return this query, limited to those fields
   */
  public SensorQuery fields(String... names) {
    return new SensorQuery(deviceId, period, from, to, List.of(names), maxPoints);
  }

  /**
   * @param points at most this many rows; 0 for all
   * @return this query, reduced
   */
  public SensorQuery withMaxPoints(int points) {
    return new SensorQuery(deviceId, period, from, to, fields, points);
  }

  /**
   * @return the query parameters
   */
  public Map<String, String> toQueryParams() {
    return new QueryParams()
        .put("device_id", deviceId)
        .put("period", period)
        .put("from", from)
        .put("to", to)
        .put("fields", fields.isEmpty() ? null : String.join(",", fields))
        .put("max_points", maxPoints == 0 ? null : maxPoints)
        .build();
  }
}
