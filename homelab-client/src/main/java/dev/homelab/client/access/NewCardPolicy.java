package dev.homelab.client.access;

import dev.homelab.client.internal.JsonFields;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Set;

/**
 * The body of {@code POST /api/policies/cards}: a card to add to the policies. Only the fields that
 * are set (not {@code null}) are sent, so the server's defaults apply to the others: enabled, valid
 * at any time, on every reader. Start from {@link #of(String)} and add fields with the {@code
 * with...} methods, each of which returns a new value. The server checks the values and answers 422
 * naming the first bad field.
 *
 * @param uid the card, in any form the server reads: {@code BA839D07}, {@code ba:83:9d:07}, {@code
 *     0x763AE8}, a decimal card number; the server stores it canonical
 * @param holder who carries it (at most 100 characters), or {@code null}
 * @param enabled whether it is in use, or {@code null} for the server's default ({@code true})
 * @param validFrom from when it works, or {@code null} for always
 * @param validUntil until when it works (exclusive, after {@code validFrom}), or {@code null} for
 *     ever
 * @param readers the reader ids it may use, or {@code null}; an unmodifiable copy
 * @param readerGroups the reader group names it may use, or {@code null}; an unmodifiable copy
 * @param schedule when in the week it works, or {@code null} for any time
 */
public record NewCardPolicy(
    String uid,
    String holder,
    Boolean enabled,
    Instant validFrom,
    Instant validUntil,
    Set<String> readers,
    Set<String> readerGroups,
    WeeklySchedule schedule) {

  /**
   * Copies the sets, keeping {@code null} as not set.
   *
   * @param uid the card
   * @param holder the holder, or {@code null}
   * @param enabled whether it is in use, or {@code null}
   * @param validFrom from when it works, or {@code null}
   * @param validUntil until when it works, or {@code null}
   * @param readers the reader ids, or {@code null}
   * @param readerGroups the reader group names, or {@code null}
   * @param schedule the schedule, or {@code null}
   */
  public NewCardPolicy {
    readers = JsonFields.copyOrNull(readers);
    readerGroups = JsonFields.copyOrNull(readerGroups);
  }

  /**
   * @param uid the card, in any form the server reads
   * @return a card that opens every reader at any time, until changed by the {@code with...}
   *     methods
   */
  public static NewCardPolicy of(String uid) {
    return new NewCardPolicy(uid, null, null, null, null, null, null, null);
  }

  /**
   * Reads a request body; unknown fields are ignored.
   *
   * @param json the body
   * @return the new policy
   */
  public static NewCardPolicy fromJson(JsonObject json) {
    JsonObject schedule = json.getJsonObject("schedule");
    return new NewCardPolicy(
        json.getString("uid"),
        json.getString("holder"),
        json.getBoolean("enabled"),
        JsonFields.instant(json, "valid_from"),
        JsonFields.instant(json, "valid_until"),
        json.getValue("readers") == null ? null : JsonFields.strings(json, "readers"),
        json.getValue("reader_groups") == null ? null : JsonFields.strings(json, "reader_groups"),
        schedule == null ? null : WeeklySchedule.fromJson(schedule));
  }

  /**
   * @param holder who carries the card
   * @return a copy with that holder
   */
  public NewCardPolicy withHolder(String holder) {
    return new NewCardPolicy(
        uid, holder, enabled, validFrom, validUntil, readers, readerGroups, schedule);
  }

  /**
   * @param enabled whether the card is in use
   * @return a copy with that setting
   */
  public NewCardPolicy withEnabled(boolean enabled) {
    return new NewCardPolicy(
        uid, holder, enabled, validFrom, validUntil, readers, readerGroups, schedule);
  }

  /**
   * @param validFrom from when the card works
   * @return a copy with that start
   */
  public NewCardPolicy withValidFrom(Instant validFrom) {
    return new NewCardPolicy(
        uid, holder, enabled, validFrom, validUntil, readers, readerGroups, schedule);
  }

  /**
   * @param validUntil until when the card works (exclusive)
   * @return a copy with that end
   */
  public NewCardPolicy withValidUntil(Instant validUntil) {
    return new NewCardPolicy(
        uid, holder, enabled, validFrom, validUntil, readers, readerGroups, schedule);
  }

  /**
   * @param readers the reader ids the card may use
   * @return a copy with those readers
   */
  public NewCardPolicy withReaders(Set<String> readers) {
    return new NewCardPolicy(
        uid, holder, enabled, validFrom, validUntil, readers, readerGroups, schedule);
  }

  /**
   * @param readerGroups the reader group names the card may use
   * @return a copy with those groups
   */
  public NewCardPolicy withReaderGroups(Set<String> readerGroups) {
    return new NewCardPolicy(
        uid, holder, enabled, validFrom, validUntil, readers, readerGroups, schedule);
  }

  /**
   * @param schedule when in the week the card works
   * @return a copy with that schedule
   */
  public NewCardPolicy withSchedule(WeeklySchedule schedule) {
    return new NewCardPolicy(
        uid, holder, enabled, validFrom, validUntil, readers, readerGroups, schedule);
  }

  /**
   * @return the request body, leaving out the fields that are {@code null}; sets sorted
   */
  public JsonObject toJson() {
    JsonObject json = new JsonObject();
    JsonFields.putIfSet(json, "uid", uid);
    JsonFields.putIfSet(json, "holder", holder);
    JsonFields.putIfSet(json, "enabled", enabled);
    JsonFields.putIfSet(json, "valid_from", JsonFields.instant(validFrom));
    JsonFields.putIfSet(json, "valid_until", JsonFields.instant(validUntil));
    JsonFields.putIfSet(json, "readers", JsonFields.sorted(readers));
    JsonFields.putIfSet(json, "reader_groups", JsonFields.sorted(readerGroups));
    JsonFields.putIfSet(json, "schedule", schedule == null ? null : schedule.toJson());
    return json;
  }
}
