package dev.homelab.core.upstream.proxmox;

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
 * The power actions on Proxmox guests, for an {@link Actor}: only an administrator may start, stop
 * or restart a guest, and each action sent is audited with its actor, server, vmid and task id
 * (UPID), or with its error when Proxmox refused it or did not answer.
 *
 * <p>With {@link ProxmoxTaskEvents}, the task of each accepted action is followed and its progress
 * published on the event hub.
 *
 * <p>A refused actor sends nothing. The audit entry is written once Proxmox answered: the action
 * cannot be undone, so a failed audit write is logged and the action's task id still returned.
 */
public final class ProxmoxPower {

  /** A power action, as the HTTP API names it. */
  public enum Action {
    /** Start a stopped guest ({@link ProxmoxClient#start}). */
    START,
    /** Stop a guest at once ({@link ProxmoxClient#stop}). */
    STOP,
    /** Reboot a running guest ({@link ProxmoxClient#reboot}). */
    RESTART;

    /**
     * @return {@code start}, {@code stop} or {@code restart}
     */
    public String apiName() {
      return name().toLowerCase(Locale.ROOT);
    }

    /**
     * @return the audit action, such as {@code proxmox.vm_start}
     */
    public String auditAction() {
      return "proxmox.vm_" + apiName();
    }
  }

  /**
   * An action Proxmox accepted.
   *
   * @param serverId the server
   * @param vmid the guest
   * @param action what was asked
   * @param upid the task that carries it out
   */
  public record Accepted(String serverId, long vmid, Action action, String upid) {}

  private final ProxmoxClient client;
  private final UpstreamActionAudit audit;
  private final ProxmoxTaskEvents tasks;

  /**
   * Power actions whose tasks nobody follows.
   *
   * @param client the Proxmox servers
   * @param audit where the actions are audited
   * @param clock the time of audit entries
   */
  public ProxmoxPower(ProxmoxClient client, AuditRepository audit, Clock clock) {
    this(client, audit, clock, null);
  }

  /**
   * @param client the Proxmox servers
   * @param audit where the actions are audited
   * @param clock the time of audit entries
   * @param tasks follows each accepted action's task and publishes its progress, or {@code null}
   */
  public ProxmoxPower(
      ProxmoxClient client, AuditRepository audit, Clock clock, ProxmoxTaskEvents tasks) {
    this.client = Objects.requireNonNull(client, "client");
    this.audit = new UpstreamActionAudit(audit, clock);
    this.tasks = tasks;
  }

  /**
   * Sends a power action once.
   *
   * @param actor who asks; must be an administrator
   * @param serverId a configured server id
   * @param vmid a guest id
   * @param action what to do
   * @return the accepted action with its UPID (its task followed from now on, with {@link
   *     ProxmoxTaskEvents}); failed with a {@link ForbiddenException} (nothing sent) for anyone but
   *     an administrator, else as the {@link ProxmoxClient} fails
   */
  public Future<Accepted> act(Actor actor, String serverId, long vmid, Action action) {
    if (!actor.isAdmin()) {
      return Future.failedFuture(
          new ForbiddenException(
              "FORBIDDEN", "only an administrator may start, stop or restart a guest"));
    }
    Future<String> sent =
        switch (action) {
          case START -> client.start(serverId, vmid);
          case STOP -> client.stop(serverId, vmid);
          case RESTART -> client.reboot(serverId, vmid);
        };
    return audit
        .record(
            actor,
            action.auditAction(),
            "proxmox:" + serverId + "/" + vmid,
            new JsonObject().put("server_id", serverId).put("vmid", vmid),
            sent,
            upid -> new JsonObject().put("upid", upid),
            // Only what Proxmox did is worth an entry: an unknown server or a bad vmid sent
            // nothing.
            UpstreamActionAudit::fromUpstream)
        .map(
            upid -> {
              Accepted accepted = new Accepted(serverId, vmid, action, upid);
              if (tasks != null) {
                tasks.follow(accepted);
              }
              return accepted;
            });
  }
}
