package dev.homelab.core.upstream.impl;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Reads fields of an upstream's JSON leniently: a missing field, or one of another type than
 * expected, reads as "unknown" instead of failing, so that an upstream that adds, drops or re-types
 * a field keeps working. Only the shape a record cannot do without is checked by callers.
 */
public final class LenientJson {

  private LenientJson() {}

  /**
   * @param json an object, or {@code null}
   * @param key a field
   * @return the field if it is a string, a number or a boolean (as text), else {@code null}
   */
  public static String string(JsonObject json, String key) {
    Object value = json == null ? null : json.getValue(key);
    return value instanceof String || value instanceof Number || value instanceof Boolean
        ? value.toString()
        : null;
  }

  /**
   * @param json an object, or {@code null}
   * @param key a field
   * @param absent the value when it is missing or not a number
   * @return the field as a long: a number, or a string of digits
   */
  public static long number(JsonObject json, String key, long absent) {
    Object value = json == null ? null : json.getValue(key);
    if (value instanceof Number number) {
      return number.longValue();
    }
    if (value instanceof String text) {
      try {
        return (long) Double.parseDouble(text.strip());
      } catch (NumberFormatException e) {
        return absent;
      }
    }
    return absent;
  }

  /**
   * @param json an object, or {@code null}
   * @param key a field
   * @return the field as a boolean (also {@code "true"}, 1), or {@code null} when missing or other
   */
  public static Boolean bool(JsonObject json, String key) {
    Object value = json == null ? null : json.getValue(key);
    if (value instanceof Boolean flag) {
      return flag;
    }
    if (value instanceof Number number) {
      return number.intValue() != 0;
    }
    if (value instanceof String text) {
      return "true".equalsIgnoreCase(text)
          ? Boolean.TRUE
          : "false".equalsIgnoreCase(text) ? Boolean.FALSE : null;
    }
    return null;
  }

  /**
   * @param json an object, or {@code null}
   * @param key a field
   * @return the field if it is an object, else {@code null}
   */
  public static JsonObject object(JsonObject json, String key) {
    Object value = json == null ? null : json.getValue(key);
    return value instanceof JsonObject object ? object : null;
  }

  /**
   * @param json an object, or {@code null}
   * @param key a field
   * @return the field if it is an array, else {@code null}
   */
  public static JsonArray array(JsonObject json, String key) {
    Object value = json == null ? null : json.getValue(key);
    return value instanceof JsonArray array ? array : null;
  }
}
