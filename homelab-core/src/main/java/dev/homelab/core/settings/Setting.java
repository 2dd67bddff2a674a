package dev.homelab.core.settings;

import dev.homelab.core.ValidationException;
import dev.homelab.core.internal.Texts;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One server setting: a key and a JSON value, for example the dashboard's title or a per-install
 * preference.
 *
 * @param key a lower-case key of letters, digits, dots, dashes and underscores (1 to 128
 *     characters)
 * @param value a JSON value: object, array, string, number or boolean (never JSON null)
 * @param updatedAt when the value was last written, set by the store
 */
public record Setting(String key, Object value, Instant updatedAt) {

  /** The longest accepted key. */
  public static final int MAX_KEY_LENGTH = 128;

  /** The largest accepted value, as encoded JSON: 64 KiB. */
  public static final int MAX_VALUE_BYTES = 64 * 1024;

  private static final Pattern KEY = Pattern.compile("[a-z0-9][a-z0-9._-]{0,127}");

  /**
   * Validates the components.
   *
   * @throws ValidationException if the key or the value breaks the rules above
   */
  public Setting {
    validateKey(key);
    validateValue(value);
    Objects.requireNonNull(updatedAt, "updatedAt");
  }

  /**
   * Checks a key against the rules of {@link Setting#key()}.
   *
   * @param key the key to check
   * @return the key
   * @throws ValidationException naming the field {@code key} if it is invalid
   */
  public static String validateKey(String key) {
    if (key == null || !KEY.matcher(key).matches()) {
      throw new ValidationException(
          "key",
          "key must be 1 to "
              + MAX_KEY_LENGTH
              + " characters of a-z, 0-9, '.', '-' or '_', starting with a letter or digit");
    }
    return key;
  }

  /**
   * Checks a value against the rules of {@link Setting#value()} and returns its JSON encoding.
   *
   * @param value the value to check
   * @return the value encoded as JSON
   * @throws ValidationException naming the field {@code value} if it is invalid
   */
  public static String validateValue(Object value) {
    if (value == null) {
      throw new ValidationException("value", "value is required and cannot be null");
    }
    if (!(value instanceof JsonObject
        || value instanceof JsonArray
        || value instanceof String
        || value instanceof Number
        || value instanceof Boolean)) {
      throw new ValidationException(
          "value", "value must be a JSON object, array, string, number or boolean");
    }
    Texts.requireNoControl("value", value);
    String encoded = Json.encode(value);
    if (encoded.getBytes(StandardCharsets.UTF_8).length > MAX_VALUE_BYTES) {
      throw new ValidationException(
          "value", "value must encode to at most " + MAX_VALUE_BYTES + " bytes of JSON");
    }
    return encoded;
  }

  /**
   * @return this setting as the JSON object the HTTP API sends
   */
  public JsonObject toJson() {
    return new JsonObject()
        .put("key", key)
        .put("value", value)
        .put("updated_at", updatedAt.toString());
  }
}
