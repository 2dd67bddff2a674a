package dev.homelab.client.sensors;

import dev.homelab.client.internal.JsonFields;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One sensor reading as sent to the server (seed 002's shape): a device, an optional time and
 * message id, and numeric fields such as {@code temperature}, {@code humidity} and {@code
 * pressure}.
 *
 * <pre>{@code
 * SensorReading reading =
 *     SensorReading.of(deviceId).with("temperature", 21.5).with("humidity", 45).withMessageId("m-1");
 * }</pre>
 *
 * @param deviceId the device's id
 * @param timestamp when it was measured, or {@code null} for the time the server receives it
 * @param messageId the sender's message id, which makes a retry harmless, or {@code null}
 * @param values the numeric fields, in order; unmodifiable
 */
public record SensorReading(
    String deviceId, Instant timestamp, String messageId, Map<String, Double> values) {

  /** Copies the values, keeping their order. */
  public SensorReading {
    Objects.requireNonNull(deviceId, "deviceId");
    values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
  }

  /**
   * @param deviceId the device's id
   * @return a reading of that device with no field yet, timed by the server
   */
  public static SensorReading of(String deviceId) {
    return new SensorReading(deviceId, null, null, Map.of());
  }

  /**
   * @param field a field name ({@code a-z 0-9 _}, starting with a letter)
   * @param value its value
   * @return this reading with the field added (or replaced)
   */
  public SensorReading with(String field, double value) {
    Map<String, Double> more = new LinkedHashMap<>(values);
    more.put(field, value);
    return new SensorReading(deviceId, timestamp, messageId, more);
  }

  /**
   * @param time when it was measured
   * @return this reading at that time
   */
  public SensorReading withTimestamp(Instant time) {
    return new SensorReading(deviceId, time, messageId, values);
  }

  /**
   * @param id the sender's message id
   * @return this reading with that message id
   */
  public SensorReading withMessageId(String id) {
    return new SensorReading(deviceId, timestamp, id, values);
  }

  /**
   * @param json the wire form, as the server sends it in {@code sensor.reading} events
   * @return the reading
   */
  public static SensorReading fromJson(JsonObject json) {
    Map<String, Double> values = new LinkedHashMap<>();
    for (Map.Entry<String, Object> field : json) {
      if (field.getValue() instanceof Number number
          && !field.getKey().equals("timestamp")
          && !field.getKey().equals("ts")) {
        values.put(field.getKey(), number.doubleValue());
      }
    }
    return new SensorReading(
        json.getString("device_id"),
        JsonFields.instant(json, "timestamp"),
        json.getString("message_id"),
        values);
  }

  /**
   * @return the wire form: {@code device_id}, {@code timestamp} and {@code message_id} when set,
   *     then each field
   */
  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("device_id", deviceId);
    if (timestamp != null) {
      json.put("timestamp", timestamp.toString());
    }
    if (messageId != null) {
      json.put("message_id", messageId);
    }
    values.forEach(json::put);
    return json;
  }
}
