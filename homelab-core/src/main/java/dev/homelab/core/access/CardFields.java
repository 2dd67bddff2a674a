package dev.homelab.core.access;

import dev.homelab.core.ValidationException;
import dev.homelab.core.internal.JsonInput;
import dev.homelab.core.internal.Texts;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashSet;
import java.util.Set;

/** The rules for the fields of a card policy, shared by {@link NewCardPolicy} and the patch. */
final class CardFields {

  static final Set<String> WRITABLE =
      Set.of(
          "uid",
          "holder",
          "enabled",
          "valid_from",
          "valid_until",
          "readers",
          "reader_groups",
          "schedule");
  static final Set<String> SERVER_SET = Set.of("created_at", "updated_at");
  static final int MAX_HOLDER = 100;
  static final int MAX_READERS = 256;

  private CardFields() {}

  static void rejectUnknown(JsonObject body) {
    for (String field : body.fieldNames()) {
      if (SERVER_SET.contains(field)) {
        throw new ValidationException(field, field + " is set by the server and cannot be written");
      }
      if (!WRITABLE.contains(field)) {
        throw new ValidationException(field, field + " is not a field of a card policy");
      }
    }
  }

  static String holder(Object value) {
    if (value == null) {
      return null;
    }
    if (!(value instanceof String holder)
        || Texts.isBlank(holder)
        || Texts.length(holder) > MAX_HOLDER
        || holder.chars().anyMatch(Character::isISOControl)) {
      throw new ValidationException(
          "holder",
          "holder must be null or a printable string of at most " + MAX_HOLDER + " characters");
    }
    return holder.strip();
  }

  static boolean enabled(Object value) {
    if (value == null) {
      return true;
    }
    if (!(value instanceof Boolean enabled)) {
      throw new ValidationException("enabled", "enabled must be true or false");
    }
    return enabled;
  }

  static Instant time(String field, Object value) {
    if (value == null) {
      return null;
    }
    Instant time = null;
    try {
      if (value instanceof String text) {
        // Both stores keep milliseconds: keep no more here either, so every read agrees.
        time = Instant.parse(text).truncatedTo(ChronoUnit.MILLIS);
      }
    } catch (DateTimeParseException e) {
      // answered below
    }
    if (time != null) {
      return JsonInput.within(field, time);
    }
    throw new ValidationException(
        field, field + " must be null or an ISO-8601 instant like 2026-01-31T08:00:00Z");
  }

  static Set<String> readers(Object value) {
    Set<String> readers = new LinkedHashSet<>();
    for (Object reader : array("readers", value)) {
      readers.add(ReaderIds.check("readers", reader));
    }
    return readers;
  }

  static Set<String> groups(Object value) {
    Set<String> groups = new LinkedHashSet<>();
    for (Object group : array("reader_groups", value)) {
      groups.add(ReaderIds.checkGroup("reader_groups", group));
    }
    return groups;
  }

  static JsonArray array(String field, Object value) {
    if (value == null) {
      return new JsonArray();
    }
    if (!(value instanceof JsonArray array) || array.size() > MAX_READERS) {
      throw new ValidationException(
          field, field + " must be an array of at most " + MAX_READERS + " entries");
    }
    return array;
  }

  static void checkValidity(Instant from, Instant until) {
    if (from != null && until != null && !from.isBefore(until)) {
      throw new ValidationException("valid_until", "valid_until must be after valid_from");
    }
  }
}
