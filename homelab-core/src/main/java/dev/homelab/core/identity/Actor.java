package dev.homelab.core.identity;

import dev.homelab.core.audit.AuditEntry;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/**
 * Who asks a core service for a change, whatever the transport: built by the server from an HTTP
 * request or an MQTT session, or by an embedding app for its own calls. Services check their rules
 * against the role, scope reads to the user, and record the actor in the change's audit entry.
 *
 * @param userId the acting user's id, or {@code null} for the system itself
 * @param username the acting user's name, or {@code null}; recorded (at most 64 characters), never
 *     a secret
 * @param role what the actor may do
 * @param source where the call came from, for example the client address, or {@code null}
 * @param requestId the id that ties the audit entry to the request's log lines, or {@code null}
 */
public record Actor(String userId, String username, Role role, String source, String requestId) {

  private static final int MAX_NAME_LENGTH = 64;

  /** Checks that the role is given. */
  public Actor {
    Objects.requireNonNull(role, "role");
  }

  /**
   * The system itself, as an administrator: for an embedding app's own calls and for jobs.
   *
   * @param source what acts, for example {@code housekeeping} or the app's name
   * @return an administrator with no user id
   */
  public static Actor system(String source) {
    return new Actor(null, "system", Role.ADMIN, source, null);
  }

  /**
   * @return whether the actor is an administrator (sees and changes everyone's objects)
   */
  public boolean isAdmin() {
    return role == Role.ADMIN;
  }

  /**
   * An audit entry for an action the actor carried out.
   *
   * @param time when it happened
   * @param action what happened, for example {@code device.created}
   * @param target the object acted on, for example {@code device:<id>}
   * @param detail more facts, never secrets
   * @return the entry, not stored yet
   */
  public AuditEntry succeeded(Instant time, String action, String target, JsonObject detail) {
    return entry(time, action, AuditEntry.SUCCESS, target, detail);
  }

  /**
   * An audit entry for an action the actor asked for, with an explicit outcome.
   *
   * @param time when it happened
   * @param action what happened
   * @param outcome {@link AuditEntry#SUCCESS} or {@link AuditEntry#FAILURE}
   * @param target the object, or {@code null}
   * @param detail more facts, never secrets
   * @return the entry, not stored yet
   */
  public AuditEntry entry(
      Instant time, String action, String outcome, String target, JsonObject detail) {
    return new AuditEntry(
        0,
        time.truncatedTo(ChronoUnit.MILLIS),
        action,
        outcome,
        userId,
        username == null || username.length() <= MAX_NAME_LENGTH
            ? username
            : username.substring(0, MAX_NAME_LENGTH),
        source,
        requestId,
        target,
        detail);
  }
}
