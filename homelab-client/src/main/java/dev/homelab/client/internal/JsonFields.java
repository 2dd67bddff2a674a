package dev.homelab.client.internal;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads and writes the wire models' optional fields. Shared by the resource packages; not a
 * supported API.
 */
public final class JsonFields {

  private JsonFields() {}

  /** Reads an ISO-8601 instant that may be absent or {@code null}. */
  public static Instant instant(JsonObject json, String key) {
    String value = json.getString(key);
    return value == null ? null : Instant.parse(value);
  }

  /** Writes an instant as ISO-8601, or {@code null}. */
  public static String instant(Instant value) {
    return value == null ? null : value.toString();
  }

  /** Reads a JSON object that may be absent or {@code null}, as a copy. */
  public static JsonObject object(JsonObject json, String key) {
    JsonObject value = json.getJsonObject(key);
    return value == null ? null : value.copy();
  }

  /** Copies a JSON object that may be {@code null}. */
  public static JsonObject copy(JsonObject value) {
    return value == null ? null : value.copy();
  }

  /** Puts a value only if it is not {@code null}. */
  public static JsonObject putIfSet(JsonObject json, String key, Object value) {
    if (value != null) {
      json.put(key, value);
    }
    return json;
  }

  /** Reads a JSON number that may be absent or {@code null}, as 0. */
  public static double number(JsonObject json, String key) {
    Number value = json.getNumber(key);
    return value == null ? 0 : value.doubleValue();
  }

  /** Reads an array of strings that may be absent or {@code null}, as an unmodifiable set. */
  public static Set<String> strings(JsonObject json, String key) {
    JsonArray array = json.getJsonArray(key);
    if (array == null) {
      return Set.of();
    }
    Set<String> values = new LinkedHashSet<>(array.size());
    for (Object value : array) {
      values.add(String.valueOf(value));
    }
    return Set.copyOf(values);
  }

  /** Copies strings that may be {@code null} into an unmodifiable set, keeping {@code null}. */
  public static Set<String> copyOrNull(Collection<String> values) {
    return values == null ? null : Set.copyOf(values);
  }

  /** Writes strings as a sorted array, or {@code null}. */
  public static JsonArray sorted(Collection<String> values) {
    return values == null ? null : new JsonArray(new ArrayList<>(new TreeSet<>(values)));
  }
}
