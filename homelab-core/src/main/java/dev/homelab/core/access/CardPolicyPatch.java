package dev.homelab.core.access;

import dev.homelab.core.ValidationException;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;

/**
 * A partial change to a card policy: only the fields present in the request change; a field sent as
 * {@code null} is cleared (for {@code holder}, {@code valid_from}, {@code valid_until} and {@code
 * schedule}). The uid never changes.
 */
public final class CardPolicyPatch {

  private final JsonObject fields;

  private CardPolicyPatch(JsonObject fields) {
    this.fields = fields;
  }

  /**
   * Reads and validates a request body.
   *
   * @param body the body
   * @return the patch
   * @throws ValidationException naming the first bad field
   */
  public static CardPolicyPatch fromJson(JsonObject body) {
    CardFields.rejectUnknown(body);
    if (body.containsKey("uid")) {
      throw new ValidationException(
          "uid", "uid cannot change: delete the card and add it under its new uid");
    }
    if (body.containsKey("enabled") && body.getValue("enabled") == null) {
      throw new ValidationException("enabled", "enabled must be true or false");
    }
    // Validate everything now, so that a bad patch fails before anything is read or written.
    CardFields.holder(body.getValue("holder"));
    CardFields.enabled(body.getValue("enabled"));
    CardFields.checkValidity(
        CardFields.time("valid_from", body.getValue("valid_from")),
        CardFields.time("valid_until", body.getValue("valid_until")));
    CardFields.readers(body.getValue("readers"));
    CardFields.groups(body.getValue("reader_groups"));
    WeeklySchedule.fromJson(body.getValue("schedule"));
    return new CardPolicyPatch(body.copy());
  }

  /**
   * @return the names of the fields the patch sets, in the order given, for the audit entry
   */
  public List<String> fields() {
    return List.copyOf(fields.fieldNames());
  }

  /**
   * @return whether the patch changes nothing
   */
  public boolean isEmpty() {
    return fields.isEmpty();
  }

  /**
   * @param current the policy as stored
   * @param now the time of the change
   * @return the changed policy
   * @throws ValidationException if the result is invalid (valid_until not after valid_from)
   */
  public CardPolicy applyTo(CardPolicy current, Instant now) {
    Instant from =
        fields.containsKey("valid_from")
            ? CardFields.time("valid_from", fields.getValue("valid_from"))
            : current.validFrom();
    Instant until =
        fields.containsKey("valid_until")
            ? CardFields.time("valid_until", fields.getValue("valid_until"))
            : current.validUntil();
    CardFields.checkValidity(from, until);
    return new CardPolicy(
        current.uid(),
        fields.containsKey("holder")
            ? CardFields.holder(fields.getValue("holder"))
            : current.holder(),
        fields.containsKey("enabled")
            ? CardFields.enabled(fields.getValue("enabled"))
            : current.enabled(),
        from,
        until,
        fields.containsKey("readers")
            ? CardFields.readers(fields.getValue("readers"))
            : current.readers(),
        fields.containsKey("reader_groups")
            ? CardFields.groups(fields.getValue("reader_groups"))
            : current.readerGroups(),
        fields.containsKey("schedule")
            ? WeeklySchedule.fromJson(fields.getValue("schedule"))
            : current.schedule(),
        current.createdAt(),
        now);
  }

  @Override
  public String toString() {
    return "CardPolicyPatch" + fields.fieldNames();
  }
}
