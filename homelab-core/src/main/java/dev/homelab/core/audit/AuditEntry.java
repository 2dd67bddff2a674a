package dev.homelab.core.audit;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Objects;

/**
 * One audited action. Never holds a secret: callers record names and ids, not passwords, tokens or
 * keys.
 *
 * @param id the entry's id, increasing with every entry; {@code 0} for an entry not stored yet
 * @param time when it happened
 * @param action what happened, for example {@code auth.login}
 * @param outcome {@link #SUCCESS} or {@link #FAILURE}
 * @param actorId the acting user's id, or {@code null} when unknown (a failed login)
 * @param actor the acting user's name or the name given at login, or {@code null}
 * @param sourceIp the client address, or {@code null}
 * @param requestId the request id, or {@code null}
 * @param target the object acted on, for example {@code user:0193...}, or {@code null}
 * @param detail more facts, never secrets; an empty object when there are none
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

  /** The outcome of an action that was carried out. */
  public static final String SUCCESS = "success";

  /** The outcome of an action that was refused or failed. */
  public static final String FAILURE = "failure";

  /** Checks the components that are never optional. */
  public AuditEntry {
    Objects.requireNonNull(time, "time");
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(outcome, "outcome");
    detail = detail == null ? new JsonObject() : detail.copy();
  }

  /**
   * @return the wire form
   */
  public JsonObject toJson() {
    return new JsonObject()
        .put("id", id)
        .put("time", time.toString())
        .put("action", action)
        .put("outcome", outcome)
        .put("actor_id", actorId)
        .put("actor", actor)
        .put("source_ip", sourceIp)
        .put("request_id", requestId)
        .put("target", target)
        .put("detail", detail.copy());
  }
}
