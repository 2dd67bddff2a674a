package dev.homelab.core.internal;

import dev.homelab.core.ValidationException;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
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
   * The latest time accepted: the end of the year 9999. Later ones (ISO-8601 allows {@code
   * +1000000000-12-31T23:59:59Z}) overflow milliseconds since the epoch, which every store and
   * every comparison here counts in.
   */
  public static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999Z");

  /**
   * @param field the field name, for the error
   * @param value ISO-8601 text of a time from 1970 to the end of 9999
   * @return the instant
   */
  public static Instant instant(String field, Object value) {
    Instant instant = null;
    if (value instanceof String text) {
      try {
        instant = Instant.parse(text);
      } catch (DateTimeParseException e) {
        // answered below
      }
    }
    if (instant == null) {
      throw new ValidationException(
          field, field + " must be an ISO-8601 time such as 2026-01-31T18:00:00Z");
    }
    return within(field, instant);
  }

  /**
   * @param field the field name, for the error
   * @param instant a time read from a request
   * @return the time, if it lies from 1970 to the end of 9999
   * @throws ValidationException naming the field otherwise
   */
  public static Instant within(String field, Instant instant) {
    // Milliseconds are what every store keeps: 9999-12-31T23:59:59.9999Z is still 9999.
    if (instant.truncatedTo(ChronoUnit.MILLIS).isBefore(Instant.EPOCH)) {
      throw new ValidationException(field, field + " must not be before 1970");
    }
    if (instant.truncatedTo(ChronoUnit.MILLIS).isAfter(LATEST)) {
      throw new ValidationException(field, field + " must be before the year 10000");
    }
    return instant;
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
