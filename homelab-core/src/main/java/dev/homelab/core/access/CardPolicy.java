package dev.homelab.core.access;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Who a card belongs to and where and when it opens doors.
 *
 * <p>A card with no readers and no reader groups may use every reader. Otherwise it may use the
 * readers listed and every reader of the groups listed.
 *
 * @param uid the card, in {@link CardUid canonical form}
 * @param holder who carries it, or {@code null}
 * @param enabled whether it is in use at all
 * @param validFrom from when it works, or {@code null} for always
 * @param validUntil until when it works (exclusive), or {@code null} for ever
 * @param readers reader ids it may use
 * @param readerGroups names of reader groups it may use
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

  /** Checks the components that are never optional and copies the sets. */
  public CardPolicy {
    Objects.requireNonNull(uid, "uid");
    readers = readers == null ? Set.of() : Set.copyOf(readers);
    readerGroups = readerGroups == null ? Set.of() : Set.copyOf(readerGroups);
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(updatedAt, "updatedAt");
  }

  /**
   * @return whether the card may use every reader
   */
  public boolean anyReader() {
    return readers.isEmpty() && readerGroups.isEmpty();
  }

  /**
   * @return the wire form, sets sorted
   */
  public JsonObject toJson() {
    return new JsonObject()
        .put("uid", uid)
        .put("holder", holder)
        .put("enabled", enabled)
        .put("valid_from", validFrom == null ? null : validFrom.toString())
        .put("valid_until", validUntil == null ? null : validUntil.toString())
        .put("readers", new JsonArray(new TreeSet<>(readers).stream().toList()))
        .put("reader_groups", new JsonArray(new TreeSet<>(readerGroups).stream().toList()))
        .put("schedule", schedule == null ? null : schedule.toJson())
        .put("created_at", createdAt.toString())
        .put("updated_at", updatedAt.toString());
  }
}
