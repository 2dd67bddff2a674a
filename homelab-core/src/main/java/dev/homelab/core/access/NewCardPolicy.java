package dev.homelab.core.access;

import dev.homelab.core.ValidationException;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Set;

/**
 * What a client gives to add a card to the policies. The timestamps are set by the store.
 *
 * @param uid the card, in {@link CardUid canonical form} (use {@link CardUid#normalize} on what a
 *     reader or a person wrote)
 * @param holder who carries it, at most 100 characters, or {@code null}
 * @param enabled whether it is in use (default {@code true})
 * @param validFrom from when it works, or {@code null}
 * @param validUntil until when it works, or {@code null}; after {@code validFrom}
 * @param readers reader ids it may use (at most 256)
 * @param readerGroups reader group names it may use (at most 256)
 * @param schedule when in the week it works, or {@code null} for any time
 */
public record NewCardPolicy(
    String uid,
    String holder,
    boolean enabled,
    Instant validFrom,
    Instant validUntil,
    Set<String> readers,
    Set<String> readerGroups,
    WeeklySchedule schedule) {

  /** Validates and normalises every component; a failure names the field. */
  public NewCardPolicy {
    uid = CardUid.requireCanonical("uid", uid);
    holder = CardFields.holder(holder);
    readers = readers == null ? Set.of() : Set.copyOf(readers);
    readers.forEach(r -> ReaderIds.check("readers", r));
    readerGroups = readerGroups == null ? Set.of() : Set.copyOf(readerGroups);
    readerGroups.forEach(g -> ReaderIds.checkGroup("reader_groups", g));
    validFrom = validFrom == null ? null : validFrom.truncatedTo(ChronoUnit.MILLIS);
    validUntil = validUntil == null ? null : validUntil.truncatedTo(ChronoUnit.MILLIS);
    CardFields.checkValidity(validFrom, validUntil);
  }

  /**
   * Reads a request body, refusing server-set and unknown fields.
   *
   * @param body the body
   * @return the new policy
   * @throws dev.homelab.core.ValidationException naming the first bad field
   */
  public static NewCardPolicy fromJson(JsonObject body) {
    CardFields.rejectUnknown(body);
    if (!body.containsKey("uid")) {
      throw new dev.homelab.core.ValidationException("uid", "uid is required");
    }
    return new NewCardPolicy(
        CardUid.normalize("uid", body.getValue("uid")), // the one place a raw uid is read
        CardFields.holder(body.getValue("holder")),
        CardFields.enabled(enabledField(body)),
        CardFields.time("valid_from", body.getValue("valid_from")),
        CardFields.time("valid_until", body.getValue("valid_until")),
        CardFields.readers(body.getValue("readers")),
        CardFields.groups(body.getValue("reader_groups")),
        WeeklySchedule.fromJson(body.getValue("schedule")));
  }

  /**
   * @param now the creation time
   * @return the policy as stored
   */
  public CardPolicy toPolicy(Instant now) {
    return new CardPolicy(
        uid, holder, enabled, validFrom, validUntil, readers, readerGroups, schedule, now, now);
  }

  /** Absent means enabled; an explicit {@code null} is refused, as /openapi.json refuses it. */
  private static Object enabledField(JsonObject body) {
    if (body.containsKey("enabled") && body.getValue("enabled") == null) {
      throw new ValidationException("enabled", "enabled must be true or false");
    }
    return body.getValue("enabled");
  }
}
