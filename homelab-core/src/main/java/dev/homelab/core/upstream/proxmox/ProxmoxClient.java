package dev.homelab.core.upstream.proxmox;

import dev.homelab.core.upstream.UpstreamStatus;
import dev.homelab.core.upstream.proxmox.impl.ProxmoxClientImpl;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;

/**
 * A client of several Proxmox VE servers, each known by its configured id and reached through its
 * own connection, timeout and circuit breaker (named {@code proxmox <id>} in errors and health).
 *
 * <pre>{@code
 * ProxmoxClient proxmox = ProxmoxClient.create(vertx, List.of(
 *     ProxmoxServerOptions.of("nas", "NAS Server", "https://10.0.10.10:8006",
 *             "root@pam!homelab", secret)
 *         .withTls(UpstreamTls.pinned(fingerprint))));
 * proxmox.start("nas", 101)
 *     .compose(upid -> proxmox.followTask("nas", upid, state -> log.info("{}", state.status())))
 *     .onSuccess(done -> log.info("start ended: {}", done.exitStatus()));
 * }</pre>
 *
 * <p>The reads of this interface and every power action are sent once: a user is waiting, and a
 * start or stop must never be sent twice. {@link #background()} offers the reads with retries.
 */
public interface ProxmoxClient extends ProxmoxReads, AutoCloseable {

  /** How often {@link #followTask(String, String, Handler)} polls. */
  Duration FOLLOW_INTERVAL = Duration.ofMillis(500);

  /** How long {@link #followTask(String, String, Handler)} follows a task at most. */
  Duration FOLLOW_LIMIT = Duration.ofMinutes(10);

  /**
   * @param vertx the Vert.x instance to run on
   * @param servers the servers, with distinct ids
   * @return the client
   * @throws dev.homelab.core.ValidationException if two servers share an id
   */
  static ProxmoxClient create(Vertx vertx, List<ProxmoxServerOptions> servers) {
    return new ProxmoxClientImpl(vertx, servers);
  }

  /**
   * @return the configured servers, in order
   */
  List<ProxmoxServerOptions> configured();

  /**
   * @return the same reads, retried with backoff on a failure that may pass (no answer, a timeout,
   *     a 5xx): for background collection only
   */
  ProxmoxReads background();

  /**
   * Starts a guest.
   *
   * @param serverId a configured server id
   * @param vmid a guest id
   * @return the UPID of the start task; the guest runs once the task ended well
   */
  Future<String> start(String serverId, long vmid);

  /**
   * Stops a guest at once, as pulling its power.
   *
   * @param serverId a configured server id
   * @param vmid a guest id
   * @return the UPID of the stop task
   */
  Future<String> stop(String serverId, long vmid);

  /**
   * Asks a guest to shut down (ACPI or the container's init).
   *
   * @param serverId a configured server id
   * @param vmid a guest id
   * @return the UPID of the shutdown task
   */
  Future<String> shutdown(String serverId, long vmid);

  /**
   * Reboots a running guest.
   *
   * @param serverId a configured server id
   * @param vmid a guest id
   * @return the UPID of the reboot task
   */
  Future<String> reboot(String serverId, long vmid);

  /**
   * Polls a task every {@link #FOLLOW_INTERVAL} for at most {@link #FOLLOW_LIMIT}.
   *
   * @see #followTask(String, String, Duration, Duration, Handler)
   * @param serverId a configured server id
   * @param upid the task id
   * @param onChange called with the first state and with each that differs from the one before
   * @return the final state
   */
  Future<TaskState> followTask(String serverId, String upid, Handler<TaskState> onChange);

  /**
   * Polls a task until it ends. A poll that fails in a way that may pass (no answer, a timeout, a
   * 5xx) is tolerated twice in a row; the third fails the follow.
   *
   * @param serverId a configured server id
   * @param upid the task id
   * @param interval the time between polls
   * @param limit how long to follow at most
   * @param onChange called with the first state and with each that differs from the one before
   *     (status, exit status or log)
   * @return the state the task ended with, or the last state seen, still running, when the limit
   *     passed first
   */
  Future<TaskState> followTask(
      String serverId, String upid, Duration interval, Duration limit, Handler<TaskState> onChange);

  /**
   * Like {@link #followTask(String, String, Duration, Duration, Handler)}, and stops polling as
   * soon as {@code until} completes (a shutdown), answering the last state seen.
   *
   * @param serverId a configured server id
   * @param upid the task id
   * @param interval the time between polls
   * @param limit how long to follow at most
   * @param until stops the follow when it completes, either way; {@code null} for never
   * @param onChange called with the first state and with each that differs from the one before
   * @return the state the task ended with, or the last state seen (still running, or {@code null}
   *     if none was seen yet) when the limit passed or {@code until} completed first
   */
  Future<TaskState> followTask(
      String serverId,
      String upid,
      Duration interval,
      Duration limit,
      Future<?> until,
      Handler<TaskState> onChange);

  /**
   * Sends one cheap request ({@code GET /version}) outside the breaker's count, for the detailed
   * health.
   *
   * @param serverId a configured server id
   * @return whether it answered, how fast, and the breaker's state; never fails but for an unknown
   *     id
   */
  Future<UpstreamStatus> probe(String serverId);

  /** Closes every connection. */
  @Override
  void close();
}
