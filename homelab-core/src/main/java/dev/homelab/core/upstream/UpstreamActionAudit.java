package dev.homelab.core.upstream;

import dev.homelab.core.HomelabException;
import dev.homelab.core.audit.AuditEntry;
import dev.homelab.core.audit.AuditRepository;
import dev.homelab.core.identity.Actor;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Audits an action a user sent to an upstream (a guest's start, an automation's restart), once the
 * upstream answered: a success with what it answered, a failure the upstream caused with its error
 * code. A failure that sent nothing (a bad name, an unknown server) is not an action and leaves no
 * entry. The upstream cannot take its action back, so a failed audit write is logged and the answer
 * still returned.
 */
public final class UpstreamActionAudit {

  private static final Logger log = LoggerFactory.getLogger(UpstreamActionAudit.class);

  private final AuditRepository audit;
  private final Clock clock;

  /**
   * @param audit where the entries go
   * @param clock the time of the entries
   */
  public UpstreamActionAudit(AuditRepository audit, Clock clock) {
    this.audit = Objects.requireNonNull(audit, "audit");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * Waits for an action's answer, audits it, and hands the answer on.
   *
   * @param actor who sent it
   * @param action the audit action, such as {@code proxmox.vm_start}
   * @param target what it was sent to, such as {@code proxmox:nas/101}
   * @param detail what identifies the target; copied, never changed
   * @param sent the upstream's answer
   * @param answered what of a successful answer goes into the entry (added to the detail)
   * @param upstreamCaused which failures the upstream caused and are audited
   * @param <T> the answer
   * @return the answer, or its failure, once the entry was written (or its writing failed)
   */
  public <T> Future<T> record(
      Actor actor,
      String action,
      String target,
      JsonObject detail,
      Future<T> sent,
      Function<T, JsonObject> answered,
      Predicate<HomelabException> upstreamCaused) {
    return sent.transform(
        result -> {
          AuditEntry entry;
          if (result.succeeded()) {
            entry =
                actor.succeeded(
                    clock.instant(),
                    action,
                    target,
                    detail.copy().mergeIn(answered.apply(result.result())));
          } else if (result.cause() instanceof HomelabException known
              && upstreamCaused.test(known)) {
            entry =
                actor.entry(
                    clock.instant(),
                    action,
                    AuditEntry.FAILURE,
                    target,
                    detail.copy().put("error_code", known.errorCode()));
          } else {
            return Future.failedFuture(result.cause());
          }
          return audit
              .append(entry)
              .recover(
                  failed -> {
                    log.error("Could not audit {} of {}: {}", action, target, failed.toString());
                    return Future.succeededFuture();
                  })
              .transform(
                  written ->
                      result.succeeded()
                          ? Future.succeededFuture(result.result())
                          : Future.<T>failedFuture(result.cause()));
        });
  }

  /**
   * @param failure a failure
   * @return whether an upstream caused it (unreachable, timed out, or answered an error)
   */
  public static boolean fromUpstream(HomelabException failure) {
    return failure.kind() != null && failure.kind().name().startsWith("UPSTREAM");
  }
}
