package dev.homelab.core.access;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.UUID;

/**
 * The answer to one scan of a card at a reader.
 *
 * @param id a time-ordered UUID (version 7), also the id of the decision's access log row
 * @param time when the decision was made
 * @param readerId the reader (the API's {@code device_id})
 * @param cardUid the card, in {@link CardUid canonical form}
 * @param reason why; {@link Reason#GRANTED} exactly when the card is let in
 * @param holder the card's holder when a policy knows the card, else {@code null}
 * @param latencyNanos how long deciding took, from the call to the answer
 */
public record Decision(
    UUID id,
    Instant time,
    String readerId,
    String cardUid,
    Reason reason,
    String holder,
    long latencyNanos) {

  /**
   * @return whether the card is let in
   */
  public boolean granted() {
    return reason == Reason.GRANTED;
  }

  /**
   * @return the decision's latency in milliseconds, with sub-microsecond digits
   */
  public double latencyMillis() {
    return latencyNanos / 1_000_000.0;
  }

  /**
   * @return the wire form: {@code decision_id, time, device_id, card_uid, granted, reason, holder,
   *     latency_ms}
   */
  public JsonObject toJson() {
    return new JsonObject()
        .put("decision_id", id.toString())
        .put("time", time.toString())
        .put("device_id", readerId)
        .put("card_uid", cardUid)
        .put("granted", granted())
        .put("reason", reason.name())
        .put("holder", holder)
        .put("latency_ms", latencyMillis());
  }

  /**
   * @return the access log row that records this decision
   */
  public AccessLogEntry toLogEntry() {
    return new AccessLogEntry(
        id.toString(), time, readerId, cardUid, granted(), reason, holder, latencyMillis());
  }
}
