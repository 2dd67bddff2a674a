package dev.homelab.core.internal;

import dev.homelab.core.ValidationException;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Set;

/** Reading request bodies the same way everywhere: unknown fields refused, times in ISO-8601. */
public final class JsonInput {

  private JsonInput() {}

  /**
   * Refuses body fields outside {@code allowed}, so that a misspelt or forbidden field is never
   * silently ignored.
   *
   * @param body the body
   * @param allowed the accepted fields
   */
  public static void onlyFields(JsonObject body, Set<String> allowed) {
    for (String field : body.fieldNames()) {
      if (!allowed.contains(field)) {
        throw new ValidationException(field, field + " is not accepted here");
      }
    }
  }

  /**
   * @param field the field name, for the error
   * @param value ISO-8601 text
   * @return the instant
   */
  public static Instant instant(String field, Object value) {
    if (value instanceof String text) {
      try {
        return Instant.parse(text);
      } catch (DateTimeParseException e) {
        // answered below
      }
    }
    throw new ValidationException(
        field, field + " must be an ISO-8601 time such as 2026-01-31T18:00:00Z");
  }

  /**
   * @param body the body
   * @param field a field that, when present, must be a boolean
   * @return the flag, or {@code null} when absent
   */
  public static Boolean flag(JsonObject body, String field) {
    if (!body.containsKey(field)) {
      return null;
    }
    if (!(body.getValue(field) instanceof Boolean flag)) {
      throw new ValidationException(field, field + " must be true or false");
    }
    return flag;
  }
}
