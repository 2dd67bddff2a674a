package dev.homelab.client.access;

import dev.homelab.client.internal.JsonFields;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Set;

/**
 * A card's access policy, as the {@code /api/policies/cards} endpoints report it: who the card
 * belongs to, and where and when it opens doors.
 *
 * <p>A card with no readers and no reader groups may use every reader; otherwise it may use the
 * readers listed and every reader of the groups listed.
 *
 * @param uid the card, in the server's canonical form: upper-case hex without separators, for
 *     example {@code BA839D07}
 * @param holder who carries it, or {@code null}
 * @param enabled whether it is in use at all
 * @param validFrom from when it works, or {@code null} for always
 * @param validUntil until when it works (exclusive), or {@code null} for ever
 * @param readers the reader ids it may use; an unmodifiable copy, empty if none
 * @param readerGroups the names of the reader groups it may use; an unmodifiable copy, empty if
 *     none
 * @param schedule when in the week it works, or {@code null} for any time
 * @param createdAt when the policy was created
 * @param updatedAt when it last changed
 */
public record CardPolicy(
    String uid,
    String holder,
    boolean enabled,
    Instant validFrom,
    Instant validUntil,
    Set<String> readers,
    Set<String> readerGroups,
    WeeklySchedule schedule,
    Instant createdAt,
    Instant updatedAt) {

  /**
   * Copies the sets; {@code null} becomes an empty set.
   *
   * @param uid the card
   * @param holder the holder, or {@code null}
   * @param enabled whether it is in use
   * @param validFrom from when it works, or {@code null}
   * @param validUntil until when it works, or {@code null}
   * @param readers the reader ids, or {@code null}
   * @param readerGroups the reader group names, or {@code null}
   * @param schedule the schedule, or {@code null}
   * @param createdAt when it was created
   * @param updatedAt when it last changed
   */
  public CardPolicy {
    readers = readers == null ? Set.of() : Set.copyOf(readers);
    readerGroups = readerGroups == null ? Set.of() : Set.copyOf(readerGroups);
  }

  /**
   * Reads the JSON the server sends; unknown fields are ignored.
   *
   * @param json one card policy
   * @return the policy
   */
  public static CardPolicy fromJson(JsonObject json) {
    JsonObject schedule = json.getJsonObject("schedule");
    return new CardPolicy(
        json.getString("uid"),
        json.getString("holder"),
        json.getBoolean("enabled", true),
        JsonFields.instant(json, "valid_from"),
        JsonFields.instant(json, "valid_until"),
        JsonFields.strings(json, "readers"),
        JsonFields.strings(json, "reader_groups"),
        schedule == null ? null : WeeklySchedule.fromJson(schedule),
        JsonFields.instant(json, "created_at"),
        JsonFields.instant(json, "updated_at"));
  }

  /**
   * @return whether the card may use every reader: it lists neither readers nor reader groups
   */
  public boolean anyReader() {
    return readers.isEmpty() && readerGroups.isEmpty();
  }

  /**
   * @return the JSON the server sends, sets sorted
   */
  public JsonObject toJson() {
    return new JsonObject()
        .put("uid", uid)
        .put("holder", holder)
        .put("enabled", enabled)
        .put("valid_from", JsonFields.instant(validFrom))
        .put("valid_until", JsonFields.instant(validUntil))
        .put("readers", JsonFields.sorted(readers))
        .put("reader_groups", JsonFields.sorted(readerGroups))
        .put("schedule", schedule == null ? null : schedule.toJson())
        .put("created_at", JsonFields.instant(createdAt))
        .put("updated_at", JsonFields.instant(updatedAt));
  }
}
