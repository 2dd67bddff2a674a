package dev.homelab.core.telemetry;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One reading of a sensor: its numeric fields at one time (seed 002's temperature, humidity and
 * pressure, or any other numeric field). Built by {@link SensorReadings} from the wire forms, or
 * directly by an embedding app; {@link SensorIngest} checks it before it is stored.
 *
 * <p>A device keeps one reading per time and message id: a second one with the same three is a
 * duplicate (a QoS 1 redelivery, an HTTP retry) and is not stored again. A reading without a
 * message id is a duplicate of any other without one at the same time.
 *
 * @param deviceId the device it was measured by
 * @param time when it was measured, kept to the millisecond
 * @param messageId the sender's id of the message that carried it, or {@code null}
 * @param values each field's value, in the order the sender gave them; unmodifiable
 */
public record SensorReading(
    String deviceId, Instant time, String messageId, Map<String, Double> values) {

  /** Checks that the components are given, truncates the time and copies the values. */
  public SensorReading {
    Objects.requireNonNull(deviceId, "deviceId");
    Objects.requireNonNull(time, "time");
    time = time.truncatedTo(ChronoUnit.MILLIS);
    values = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(values)));
  }

  /**
   * @return the wire form, seed 002's shape: {@code device_id}, {@code timestamp} (ISO-8601),
   *     {@code message_id} when set, then each field
   */
  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("device_id", deviceId).put("timestamp", time.toString());
    if (messageId != null) {
      json.put("message_id", messageId);
    }
    values.forEach(json::put);
    return json;
  }
}
