package dev.homelab.client.access;

import dev.homelab.client.devices.DevicePatch;
import dev.homelab.client.internal.JsonFields;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Collections;
import java.util.Set;
import java.util.TreeSet;

/**
 * The changes {@code PATCH /api/policies/cards/{uid}} makes: only the fields the patch sets are
 * sent, the others stay as they are. Start from {@link #empty()} and add changes with the {@code
 * with...} methods, each of which returns a new patch.
 *
 * <p>Unlike {@link DevicePatch}, a patch records which fields were set, so a field can be set to
 * {@code null}: {@code withHolder(null)}, {@code withValidFrom(null)}, {@code withValidUntil(null)}
 * and {@code withSchedule(null)} clear the holder, the validity bounds and the schedule, and {@code
 * withReaders(null)} and {@code withReaderGroups(null)} empty those sets. A field never set is not
 * sent and does not change. The uid never changes. Immutable and safe to share.
 */
public final class CardPolicyPatch {

  private static final Set<String> FIELDS =
      Set.of(
          "holder", "enabled", "valid_from", "valid_until", "readers", "reader_groups", "schedule");
  private static final CardPolicyPatch EMPTY = new CardPolicyPatch(new JsonObject());

  /** The wire form of the fields set so far; never exposed without copying. */
  private final JsonObject fields;

  private CardPolicyPatch(JsonObject fields) {
    this.fields = fields;
  }

  /**
   * @return a patch that changes nothing
   */
  public static CardPolicyPatch empty() {
    return EMPTY;
  }

  /**
   * Reads a request body: every field of a card policy that is present, {@code null} included,
   * becomes part of the patch; unknown fields (and the uid, which never changes) are ignored.
   *
   * @param json the body
   * @return the patch
   */
  public static CardPolicyPatch fromJson(JsonObject json) {
    JsonObject copy = json.copy();
    JsonObject fields = new JsonObject();
    for (String field : copy.fieldNames()) {
      if (FIELDS.contains(field)) {
        fields.put(field, copy.getValue(field));
      }
    }
    return new CardPolicyPatch(fields);
  }

  /**
   * @param holder the new holder, or {@code null} to clear it
   * @return a copy of this patch that also changes the holder
   */
  public CardPolicyPatch withHolder(String holder) {
    return with("holder", holder);
  }

  /**
   * @param enabled whether the card is in use
   * @return a copy of this patch that also changes whether the card is enabled
   */
  public CardPolicyPatch withEnabled(boolean enabled) {
    return with("enabled", enabled);
  }

  /**
   * @param validFrom from when the card works, or {@code null} to clear the bound
   * @return a copy of this patch that also changes the start of validity
   */
  public CardPolicyPatch withValidFrom(Instant validFrom) {
    return with("valid_from", JsonFields.instant(validFrom));
  }

  /**
   * @param validUntil until when the card works (exclusive), or {@code null} to clear the bound
   * @return a copy of this patch that also changes the end of validity
   */
  public CardPolicyPatch withValidUntil(Instant validUntil) {
    return with("valid_until", JsonFields.instant(validUntil));
  }

  /**
   * @param readers the reader ids the card may use, replacing the old ones; {@code null} or empty
   *     for none
   * @return a copy of this patch that also changes the readers
   */
  public CardPolicyPatch withReaders(Set<String> readers) {
    return with("readers", JsonFields.sorted(readers));
  }

  /**
   * @param readerGroups the reader group names the card may use, replacing the old ones; {@code
   *     null} or empty for none
   * @return a copy of this patch that also changes the reader groups
   */
  public CardPolicyPatch withReaderGroups(Set<String> readerGroups) {
    return with("reader_groups", JsonFields.sorted(readerGroups));
  }

  /**
   * @param schedule when in the week the card works, or {@code null} for any time
   * @return a copy of this patch that also changes the schedule
   */
  public CardPolicyPatch withSchedule(WeeklySchedule schedule) {
    return with("schedule", schedule == null ? null : schedule.toJson());
  }

  private CardPolicyPatch with(String field, Object wireValue) {
    return new CardPolicyPatch(fields.copy().put(field, wireValue));
  }

  /**
   * @return the wire names of the fields this patch sets, such as {@code valid_until}, sorted
   */
  public Set<String> fields() {
    return Collections.unmodifiableSet(new TreeSet<>(fields.fieldNames()));
  }

  /**
   * @param field a wire name, such as {@code holder}
   * @return {@code true} if this patch sets the field, possibly to {@code null}
   */
  public boolean isSet(String field) {
    return fields.containsKey(field);
  }

  /**
   * @return {@code true} if the patch changes nothing
   */
  public boolean isEmpty() {
    return fields.isEmpty();
  }

  /**
   * @return the request body: exactly the fields that are set, {@code null} values included
   */
  public JsonObject toJson() {
    return fields.copy();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof CardPolicyPatch patch && fields.equals(patch.fields);
  }

  @Override
  public int hashCode() {
    return fields.hashCode();
  }

  /**
   * @return the names of the fields the patch sets, without their values
   */
  @Override
  public String toString() {
    return "CardPolicyPatch" + new TreeSet<>(fields.fieldNames());
  }
}
