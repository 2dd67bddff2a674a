package dev.homelab.client.access;

import dev.homelab.client.internal.JsonFields;
import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * One row of the access log, as {@code GET /api/access/logs} reports it: a recorded {@link
 * AccessDecision}.
 *
 * @param id the decision's id; later decisions have greater ids
 * @param timestamp when the decision was made
 * @param deviceId the reader
 * @param cardUid the card, in the server's canonical form
 * @param granted {@code true} if the door could open
 * @param reason why, as in {@link AccessDecision#reason()}
 * @param holder the card's holder at the time, or {@code null}
 * @param latencyMs how long the server took to decide, in milliseconds
 */
public record AccessLogEntry(
    String id,
    Instant timestamp,
    String deviceId,
    String cardUid,
    boolean granted,
    String reason,
    String holder,
    double latencyMs) {

  /**
   * Reads the JSON the server sends; unknown fields are ignored.
   *
   * @param json one row
   * @return the row
   */
  public static AccessLogEntry fromJson(JsonObject json) {
    return new AccessLogEntry(
        json.getString("id"),
        JsonFields.instant(json, "timestamp"),
        json.getString("device_id"),
        json.getString("card_uid"),
        json.getBoolean("granted", false),
        json.getString("reason"),
        json.getString("holder"),
        JsonFields.number(json, "latency_ms"));
  }

  /**
   * @return the JSON the server sends
   */
  public JsonObject toJson() {
    return new JsonObject()
        .put("id", id)
        .put("timestamp", JsonFields.instant(timestamp))
        .put("device_id", deviceId)
        .put("card_uid", cardUid)
        .put("granted", granted)
        .put("reason", reason)
        .put("holder", holder)
        .put("latency_ms", latencyMs);
  }
}
