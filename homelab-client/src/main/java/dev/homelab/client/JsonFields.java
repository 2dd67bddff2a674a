package dev.homelab.client;

import io.vertx.core.json.JsonObject;
import java.time.Instant;

/** Reads and writes the wire models' optional fields. Package-private: not part of the API. */
final class JsonFields {

  private JsonFields() {}

  /** Reads an ISO-8601 instant that may be absent or {@code null}. */
  static Instant instant(JsonObject json, String key) {
    String value = json.getString(key);
    return value == null ? null : Instant.parse(value);
  }

  /** Writes an instant as ISO-8601, or {@code null}. */
  static String instant(Instant value) {
    return value == null ? null : value.toString();
  }

  /** Reads a JSON object that may be absent or {@code null}, as a copy. */
  static JsonObject object(JsonObject json, String key) {
    JsonObject value = json.getJsonObject(key);
    return value == null ? null : value.copy();
  }

  /** Copies a JSON object that may be {@code null}. */
  static JsonObject copy(JsonObject value) {
    return value == null ? null : value.copy();
  }

  /** Puts a value only if it is not {@code null}. */
  static JsonObject putIfSet(JsonObject json, String key, Object value) {
    if (value != null) {
      json.put(key, value);
    }
    return json;
  }
}
