package dev.homelab.core.upstream.automation;

import dev.homelab.core.ErrorKind;
import dev.homelab.core.ForbiddenException;
import dev.homelab.core.audit.AuditRepository;
import dev.homelab.core.identity.Actor;
import dev.homelab.core.upstream.UpstreamActionAudit;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.Locale;
import java.util.Objects;

/**
 * The start, stop and restart of automations, for an {@link Actor}: only an administrator may act,
 * and each action sent is audited with its actor and automation, or with its error when the API
 * refused it or did not answer (as {@link dev.homelab.core.upstream.proxmox.ProxmoxPower} does for
 * guests).
 *
 * <p>A refused actor sends nothing, and neither does an invalid name. The audit entry is written
 * once the API answered: a failed audit write is logged and the API's answer still returned.
 */
public final class AutomationControl {

  /** An action, as the HTTP API names it. */
  public enum Action {
    /** {@link AutomationClient#start}. */
    START,
    /** {@link AutomationClient#stop}. */
    STOP,
    /** {@link AutomationClient#restart}. */
    RESTART;

    /**
     * @return {@code start}, {@code stop} or {@code restart}
     */
    public String apiName() {
      return name().toLowerCase(Locale.ROOT);
    }

    /**
     * @return the audit action, such as {@code automation.restart}
     */
    public String auditAction() {
      return "automation." + apiName();
    }
  }

  private final AutomationClient client;
  private final UpstreamActionAudit audit;

  /**
   * @param client the automation API
   * @param audit where the actions are audited
   * @param clock the time of audit entries
   */
  public AutomationControl(AutomationClient client, AuditRepository audit, Clock clock) {
    this.client = Objects.requireNonNull(client, "client");
    this.audit = new UpstreamActionAudit(audit, clock);
  }

  /**
   * Sends an action once.
   *
   * @param actor who asks; must be an administrator
   * @param name an automation or container name
   * @param action what to do
   * @return the API's answer; failed with a {@link ForbiddenException} (nothing sent) for anyone
   *     but an administrator, else as the {@link AutomationClient} fails
   */
  public Future<AutomationAction> act(Actor actor, String name, Action action) {
    if (!actor.isAdmin()) {
      return Future.failedFuture(
          new ForbiddenException(
              "FORBIDDEN", "only an administrator may start, stop or restart an automation"));
    }
    Future<AutomationAction> sent =
        switch (action) {
          case START -> client.start(name);
          case STOP -> client.stop(name);
          case RESTART -> client.restart(name);
        };
    return audit.record(
        actor,
        action.auditAction(),
        "automation:" + name,
        new JsonObject().put("automation", name),
        sent,
        answer ->
            new JsonObject().put("success", answer.success()).put("new_status", answer.newStatus()),
        // What the API answered is worth an entry (an unknown automation too); an invalid name
        // sent nothing.
        known -> UpstreamActionAudit.fromUpstream(known) || known.kind() == ErrorKind.NOT_FOUND);
  }
}
