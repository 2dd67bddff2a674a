package dev.homelab.core.devices;

import dev.homelab.core.ValidationException;
import dev.homelab.core.internal.Texts;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The rules for the fields a client may write, shared by {@link NewDevice} and {@link DevicePatch}.
 */
final class DeviceFields {

  static final Set<String> WRITABLE = Set.of("name", "device_type", "description", "metadata");
  static final Set<String> SERVER_SET =
      Set.of("id", "owner", "owner_id", "has_token", "token", "created_at", "updated_at");
  static final int MAX_NAME = 100;
  static final int MAX_DESCRIPTION = 1000;
  static final int MAX_METADATA_BYTES = 16 * 1024;
  private static final Pattern TYPE = Pattern.compile("[a-z][a-z0-9_]{1,31}");

  private DeviceFields() {}

  static void rejectUnknown(JsonObject body) {
    for (String field : body.fieldNames()) {
      if (SERVER_SET.contains(field)) {
        throw new ValidationException(field, field + " is set by the server and cannot be written");
      }
      if (!WRITABLE.contains(field)) {
        throw new ValidationException(field, field + " is not a field of a device");
      }
    }
  }

  static String name(Object value) {
    if (!(value instanceof String name) || Texts.isBlank(name) || Texts.length(name) > MAX_NAME) {
      throw new ValidationException(
          "name", "name must be a non-blank string of at most " + MAX_NAME + " characters");
    }
    if (Texts.hasControl(name, false)) {
      throw new ValidationException("name", "name must not contain control characters");
    }
    return name.strip();
  }

  static String deviceType(Object value) {
    if (!(value instanceof String type) || !TYPE.matcher(type).matches()) {
      throw new ValidationException(
          "device_type",
          "device_type must be 2 to 32 characters of a-z, 0-9 or '_', starting with a letter"
              + " (iot, sensor, rfid_reader, camera, server, ...)");
    }
    return type;
  }

  static String description(Object value) {
    if (value == null) {
      return null;
    }
    if (!(value instanceof String text) || Texts.length(text) > MAX_DESCRIPTION) {
      throw new ValidationException(
          "description",
          "description must be a string of at most " + MAX_DESCRIPTION + " characters");
    }
    Texts.requireNoControl("description", text);
    return text;
  }

  /**
   * The {@code metadata} of a request body: absent is an empty object, but {@code null} is refused,
   * as /openapi.json refuses it, rather than silently read as {@code {}}.
   */
  static JsonObject metadataField(JsonObject body) {
    Object value = body.getValue("metadata");
    if (value == null && body.containsKey("metadata")) {
      throw new ValidationException(
          "metadata", "metadata must be a JSON object, not null (omit it or send {})");
    }
    return metadata(value);
  }

  static JsonObject metadata(Object value) {
    if (value == null) {
      return new JsonObject();
    }
    if (!(value instanceof JsonObject metadata)) {
      throw new ValidationException("metadata", "metadata must be a JSON object");
    }
    if (metadata.encode().getBytes(StandardCharsets.UTF_8).length > MAX_METADATA_BYTES) {
      throw new ValidationException(
          "metadata", "metadata must be at most " + MAX_METADATA_BYTES + " bytes of JSON");
    }
    Texts.requireNoControl("metadata", metadata);
    return metadata.copy();
  }
}
