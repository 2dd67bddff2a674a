package dev.homelab.core.telemetry;

import dev.homelab.core.ValidationException;
import dev.homelab.core.internal.Texts;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads sensor readings from their wire forms and checks their shape, the same for HTTP, the MQTT
 * device gateway and an embedding app. A reading that breaks a rule is refused with a {@link
 * ValidationException} naming the field as the sender spelt it ({@code temperature}, {@code ts}, or
 * in a batch {@code readings[3].ts}).
 *
 * <p>A reading is a JSON object of numeric fields, seed 002's {@code temperature}, {@code humidity}
 * and {@code pressure} or any others, with optional {@code ts} or {@code timestamp} (ISO-8601 text,
 * or a number of seconds since the epoch; the time of receipt when absent) and {@code message_id}.
 * The HTTP form adds {@code device_id}; on MQTT the topic names the device.
 */
public final class SensorReadings {

  /** The most readings one call may carry: {@value}. */
  public static final int MAX_BATCH = 1_000;

  /** The most fields one reading may have: {@value}. */
  public static final int MAX_FIELDS = 32;

  /** The longest message id: {@value} characters. */
  public static final int MAX_MESSAGE_ID = 128;

  /**
   * A field's name: what a metric table column and a series name both accept, so that each field
   * becomes series {@code sensor.<field>} and history column {@code <field>}.
   */
  public static final Pattern FIELD = Pattern.compile("[a-z][a-z0-9_]{0,63}");

  /** The names that are not fields. */
  public static final Set<String> RESERVED =
      Set.of("device_id", "ts", "timestamp", "message_id", "readings");

  // Epoch seconds beyond this (the year 5138) are certainly not seconds: milliseconds sent by
  // mistake. Refused rather than read as a date thousands of years ahead.
  private static final double MAX_EPOCH_SECONDS = 1e11;

  private SensorReadings() {}

  /**
   * Reads the payload of an MQTT message on {@code homelab/sensors/{device_id}}, {@code
   * {temperature, humidity, pressure, ts}}, with the time of receipt when it has no {@code ts}.
   *
   * @param deviceId the device the topic names
   * @param payload the payload
   * @param messageId the message's id for duplicate detection (for example the MQTT packet id with
   *     the client id), or {@code null} to use the payload's {@code message_id}, if any
   * @return the reading, not yet checked against the time window or the device
   * @throws ValidationException naming the offending field
   */
  public static SensorReading fromJson(String deviceId, JsonObject payload, String messageId) {
    return fromJson(deviceId, payload, messageId, Instant.now());
  }

  /**
   * Like {@link #fromJson(String, JsonObject, String)} with the time of receipt given.
   *
   * @param deviceId the device
   * @param payload the payload
   * @param messageId the message id, or {@code null} for the payload's
   * @param receivedAt the reading's time when the payload has none
   * @return the reading
   * @throws ValidationException naming the offending field
   */
  public static SensorReading fromJson(
      String deviceId, JsonObject payload, String messageId, Instant receivedAt) {
    if (deviceId == null) {
      throw new ValidationException("device_id", "device_id is required");
    }
    JsonObject body = payload.copy();
    body.remove("device_id");
    if (messageId != null) {
      body.put("message_id", messageId);
    }
    return read(deviceId, body, "", receivedAt);
  }

  /**
   * Reads the body of {@code POST /api/sensors/ingest}: one reading with its {@code device_id}, or
   * {@code {"readings": [...]}}.
   *
   * @param body the body
   * @param receivedAt the time of readings that have none
   * @return the readings, in the given order, not yet checked against the time window or devices
   * @throws ValidationException naming the offending field, {@code readings[i].<field>} in a batch
   */
  public static List<SensorReading> fromRequest(JsonObject body, Instant receivedAt) {
    if (!body.containsKey("readings")) {
      return List.of(read(deviceOf(body, ""), body, "", receivedAt));
    }
    if (body.size() != 1) {
      String other =
          body.fieldNames().stream().filter(f -> !f.equals("readings")).findFirst().orElseThrow();
      throw new ValidationException(other, other + " is not accepted beside readings");
    }
    if (!(body.getValue("readings") instanceof JsonArray batch)) {
      throw new ValidationException("readings", "readings must be an array of readings");
    }
    if (batch.isEmpty()) {
      throw new ValidationException("readings", "readings must hold at least one reading");
    }
    if (batch.size() > MAX_BATCH) {
      throw new ValidationException(
          "readings", "readings may hold at most " + MAX_BATCH + " readings per request");
    }
    List<SensorReading> readings = new ArrayList<>(batch.size());
    for (int i = 0; i < batch.size(); i++) {
      String prefix = "readings[" + i + "].";
      if (!(batch.getValue(i) instanceof JsonObject item)) {
        throw new ValidationException("readings[" + i + "]", "each reading must be an object");
      }
      readings.add(read(deviceOf(item, prefix), item, prefix, receivedAt));
    }
    return readings;
  }

  /**
   * Checks a reading's shape: fields, values and message id (not its time or device, which need a
   * clock and the store).
   *
   * @param reading the reading
   * @param prefix what the sender's field names are prefixed with in errors, such as {@code
   *     readings[3].}, or empty
   * @throws ValidationException naming the offending field
   */
  public static void check(SensorReading reading, String prefix) {
    if (reading.values().isEmpty()) {
      throw new ValidationException(
          prefix.isEmpty() ? "values" : prefix.substring(0, prefix.length() - 1),
          "a reading needs at least one numeric field, such as temperature");
    }
    if (reading.values().size() > MAX_FIELDS) {
      throw new ValidationException(
          prefix.isEmpty() ? "values" : prefix.substring(0, prefix.length() - 1),
          "a reading may have at most " + MAX_FIELDS + " fields");
    }
    for (Map.Entry<String, Double> field : reading.values().entrySet()) {
      checkName(field.getKey(), prefix);
      Double value = field.getValue();
      if (value == null || !Double.isFinite(value)) {
        throw new ValidationException(
            prefix + field.getKey(), field.getKey() + " must be a finite number");
      }
    }
    String id = reading.messageId();
    if (id != null
        && (id.isEmpty()
            // Characters as JSON Schema's maxLength counts them: code points, not UTF-16 units.
            || id.codePointCount(0, id.length()) > MAX_MESSAGE_ID
            || Texts.hasControl(id, false))) {
      throw new ValidationException(
          prefix + "message_id",
          "message_id must be 1 to " + MAX_MESSAGE_ID + " characters without control characters");
    }
  }

  private static void checkName(String name, String prefix) {
    if (RESERVED.contains(name)) {
      throw new ValidationException(prefix + name, name + " is not a field name");
    }
    if (!FIELD.matcher(name).matches()) {
      // Not echoed as the field: a bad name could be anything.
      throw new ValidationException(
          prefix.isEmpty() ? "values" : prefix.substring(0, prefix.length() - 1),
          "field names are 1-64 of a-z, 0-9 and _, starting with a letter");
    }
  }

  private static String deviceOf(JsonObject item, String prefix) {
    Object device = item.getValue("device_id");
    if (device == null) {
      throw new ValidationException(prefix + "device_id", "device_id is required");
    }
    if (!(device instanceof String id)) {
      throw new ValidationException(prefix + "device_id", "device_id must be a device's id");
    }
    return id;
  }

  private static SensorReading read(
      String deviceId, JsonObject item, String prefix, Instant receivedAt) {
    Instant time = receivedAt;
    String messageId = null;
    Map<String, Double> values = new LinkedHashMap<>();
    boolean timed = false;
    for (Map.Entry<String, Object> entry : item) {
      String name = entry.getKey();
      Object value = entry.getValue();
      switch (name) {
        case "device_id" -> {
          // read by the caller
        }
        case "ts", "timestamp" -> {
          if (timed) {
            throw new ValidationException(prefix + name, "give ts or timestamp, not both");
          }
          timed = true;
          time = time(prefix + name, value);
        }
        case "message_id" -> {
          if (!(value instanceof String text)) {
            throw new ValidationException(prefix + name, "message_id must be a string");
          }
          messageId = text;
        }
        default -> {
          checkName(name, prefix);
          if (!(value instanceof Number number)) {
            throw new ValidationException(prefix + name, name + " must be a number");
          }
          values.put(name, number.doubleValue());
        }
      }
    }
    SensorReading reading = new SensorReading(deviceId, time, messageId, values);
    check(reading, prefix);
    return reading;
  }

  private static Instant time(String field, Object value) {
    if (value instanceof Number number) {
      double seconds = number.doubleValue();
      if (!Double.isFinite(seconds) || seconds < 0 || seconds > MAX_EPOCH_SECONDS) {
        throw new ValidationException(field, field + " must be seconds since the epoch");
      }
      return Instant.ofEpochMilli(Math.round(seconds * 1000));
    }
    if (value instanceof String text) {
      try {
        return OffsetDateTime.parse(text).toInstant();
      } catch (DateTimeParseException e) {
        // answered below
      }
    }
    throw new ValidationException(
        field,
        field
            + " must be an ISO-8601 time such as 2026-01-31T18:00:00Z or seconds since the epoch");
  }
}
