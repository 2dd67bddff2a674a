package dev.homelab.client.audit;

import dev.homelab.client.internal.JsonFields;
import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * One entry of the audit log, as {@code GET /api/audit} reports it. Its {@link #detail()} is copied
 * in and out, so the record stays immutable. Nothing secret is ever recorded.
 *
 * @param id the entry's id; later entries have higher ids
 * @param time when it happened
 * @param action what happened, for example {@code auth.login} or {@code device.created}
 * @param outcome {@code success} or {@code failure}
 * @param actorId the id of the user who acted, or {@code null} (for example a failed login)
 * @param actor the name of the user who acted, or {@code null}
 * @param sourceIp the client's IP address, or {@code null}
 * @param requestId the id of the request, or {@code null}
 * @param target what was acted on, for example a device's id, or {@code null}
 * @param detail more about it, or {@code null}
 */
public record AuditEntry(
    long id,
    Instant time,
    String action,
    String outcome,
    String actorId,
    String actor,
    String sourceIp,
    String requestId,
    String target,
    JsonObject detail) {

  /**
   * Copies the detail.
   *
   * @param id the entry's id
   * @param time when it happened
   * @param action what happened
   * @param outcome {@code success} or {@code failure}
   * @param actorId the actor's user id, or {@code null}
   * @param actor the actor's name, or {@code null}
   * @param sourceIp the client's IP address, or {@code null}
   * @param requestId the request id, or {@code null}
   * @param target what was acted on, or {@code null}
   * @param detail more about it, or {@code null}
   */
  public AuditEntry {
    detail = JsonFields.copy(detail);
  }

  /**
   * Reads the JSON the server sends; unknown fields are ignored. The id may be a JSON number or a
   * string of digits.
   *
   * @param json one entry
   * @return the entry
   */
  public static AuditEntry fromJson(JsonObject json) {
    Object id = json.getValue("id");
    return new AuditEntry(
        id instanceof Number number ? number.longValue() : Long.parseLong(String.valueOf(id)),
        JsonFields.instant(json, "time"),
        json.getString("action"),
        json.getString("outcome"),
        json.getString("actor_id"),
        json.getString("actor"),
        json.getString("source_ip"),
        json.getString("request_id"),
        json.getString("target"),
        json.getJsonObject("detail"));
  }

  /**
   * @return a copy of more about the entry, or {@code null}
   */
  @Override
  public JsonObject detail() {
    return JsonFields.copy(detail);
  }

  /**
   * @return the JSON the server sends
   */
  public JsonObject toJson() {
    return new JsonObject()
        .put("id", id)
        .put("time", JsonFields.instant(time))
        .put("action", action)
        .put("outcome", outcome)
        .put("actor_id", actorId)
        .put("actor", actor)
        .put("source_ip", sourceIp)
        .put("request_id", requestId)
        .put("target", target)
        .put("detail", JsonFields.copy(detail));
  }
}
