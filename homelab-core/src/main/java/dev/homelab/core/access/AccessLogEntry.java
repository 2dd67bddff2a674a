package dev.homelab.core.access;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Objects;

/**
 * One row of the access log: a recorded {@link Decision}.
 *
 * @param id the decision id, a time-ordered UUID
 * @param time when the decision was made
 * @param deviceId the reader
 * @param cardUid the card, canonical
 * @param granted whether it was let in
 * @param reason why
 * @param holder the holder, when known
 * @param latencyMs how long deciding took, in milliseconds
 */
public record AccessLogEntry(
    String id,
    Instant time,
    String deviceId,
    String cardUid,
    boolean granted,
    Reason reason,
    String holder,
    double latencyMs) {

  /** Checks the components that are never optional. */
  public AccessLogEntry {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(time, "time");
    Objects.requireNonNull(deviceId, "deviceId");
    Objects.requireNonNull(cardUid, "cardUid");
    Objects.requireNonNull(reason, "reason");
  }

  /**
   * @return the wire form of {@code GET /api/access/logs}
   */
  public JsonObject toJson() {
    return new JsonObject()
        .put("id", id)
        .put("timestamp", time.toString())
        .put("device_id", deviceId)
        .put("card_uid", cardUid)
        .put("granted", granted)
        .put("reason", reason.name())
        .put("holder", holder)
        .put("latency_ms", latencyMs);
  }
}
