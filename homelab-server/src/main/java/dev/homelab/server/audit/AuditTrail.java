package dev.homelab.server.audit;

import dev.homelab.core.audit.AuditEntry;
import dev.homelab.core.audit.AuditRepository;
import dev.homelab.server.auth.ClientIp;
import dev.homelab.server.auth.Principal;
import dev.homelab.server.http.RequestIds;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.temporal.ChronoUnit;

/**
 * Writes audit entries for requests, filling in the time, source address and request id. Callers
 * pass names and ids only, never secrets. An entry is written before the request is answered, so an
 * acknowledged change always has its entry.
 */
public final class AuditTrail {

  private static final int MAX_ACTOR_LENGTH = 64;

  private final AuditRepository audit;
  private final ClientIp clientIp;
  private final Clock clock;

  /**
   * @param audit the audit log
   * @param clientIp resolves client addresses
   * @param clock the clock
   */
  public AuditTrail(AuditRepository audit, ClientIp clientIp, Clock clock) {
    this.audit = audit;
    this.clientIp = clientIp;
    this.clock = clock;
  }

  /**
   * Records a successful action of the request's principal.
   *
   * @param ctx the authenticated request
   * @param action the action, for example {@code user.created}
   * @param target the object, for example {@code user:<id>}
   * @param detail more facts, never secrets
   * @return completes when the entry is durable
   */
  public Future<Void> success(RoutingContext ctx, String action, String target, JsonObject detail) {
    Principal principal = Principal.of(ctx);
    return record(
        ctx, action, AuditEntry.SUCCESS, principal.userId(), principal.username(), target, detail);
  }

  /**
   * Records an action with an explicit actor and outcome (logins, where there is no principal yet).
   *
   * @param ctx the request
   * @param action the action
   * @param outcome {@link AuditEntry#SUCCESS} or {@link AuditEntry#FAILURE}
   * @param actorId the actor's id, or {@code null} when unknown
   * @param actor the actor's name as given, or {@code null}; shortened, never a secret
   * @param target the object, or {@code null}
   * @param detail more facts, never secrets
   * @return completes when the entry is durable
   */
  public Future<Void> record(
      RoutingContext ctx,
      String action,
      String outcome,
      String actorId,
      String actor,
      String target,
      JsonObject detail) {
    String name =
        actor == null || actor.length() <= MAX_ACTOR_LENGTH
            ? actor
            : actor.substring(0, MAX_ACTOR_LENGTH);
    return audit.append(
        new AuditEntry(
            0,
            clock.instant().truncatedTo(ChronoUnit.MILLIS),
            action,
            outcome,
            actorId,
            name,
            clientIp.of(ctx),
            RequestIds.of(ctx),
            target,
            detail));
  }
}
