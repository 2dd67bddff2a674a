package dev.homelab.client.access;

import dev.homelab.client.internal.JsonFields;
import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * The answer of {@code POST /api/access/check}: whether a card may open a reader's door now, and
 * why. Every decision is also recorded in the access log under {@link #decisionId()}.
 *
 * @param decisionId the decision's id, the {@link AccessLogEntry#id()} of its log row
 * @param granted {@code true} if the door may open
 * @param reason why: {@code GRANTED}, {@code UNKNOWN_CARD}, {@code DISABLED}, {@code
 *     NOT_YET_VALID}, {@code EXPIRED}, {@code READER_NOT_ALLOWED}, {@code OUTSIDE_SCHEDULE} or
 *     {@code LOCKED_OUT}; kept as text, so that a reason added later by the server still reads
 * @param deviceId the reader the card was scanned at
 * @param cardUid the card, in the server's canonical form (upper-case hex, no separators)
 * @param holder the card's holder, or {@code null} if the card or its holder is unknown
 * @param latencyMs how long the server took to decide, in milliseconds
 * @param timestamp when the decision was made
 */
public record AccessDecision(
    String decisionId,
    boolean granted,
    String reason,
    String deviceId,
    String cardUid,
    String holder,
    double latencyMs,
    Instant timestamp) {

  /**
   * Reads the JSON the server sends; unknown fields are ignored.
   *
   * @param json the response body
   * @return the decision
   */
  public static AccessDecision fromJson(JsonObject json) {
    return new AccessDecision(
        json.getString("decision_id"),
        json.getBoolean("granted", false),
        json.getString("reason"),
        json.getString("device_id"),
        json.getString("card_uid"),
        json.getString("holder"),
        JsonFields.number(json, "latency_ms"),
        JsonFields.instant(json, "timestamp"));
  }

  /**
   * @return the JSON the server sends
   */
  public JsonObject toJson() {
    return new JsonObject()
        .put("granted", granted)
        .put("reason", reason)
        .put("latency_ms", latencyMs)
        .put("decision_id", decisionId)
        .put("device_id", deviceId)
        .put("card_uid", cardUid)
        .put("holder", holder)
        .put("timestamp", JsonFields.instant(timestamp));
  }
}
