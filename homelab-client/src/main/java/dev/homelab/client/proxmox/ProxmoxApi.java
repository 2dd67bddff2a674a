package dev.homelab.client.proxmox;

import io.vertx.core.Future;
import java.time.Duration;
import java.util.List;

/**
 * {@code /api/proxmox}: the Proxmox VE servers the server is configured with. An unknown server id
 * fails with {@link dev.homelab.client.HomelabNotFoundException}, a malformed vmid or UPID with
 * {@link dev.homelab.client.HomelabValidationException}, a power action by anyone but an
 * administrator with {@link dev.homelab.client.HomelabForbiddenException}, and an upstream failure
 * with a {@link dev.homelab.client.HomelabHttpException} of status 502 or 504.
 */
public interface ProxmoxApi {

  /**
   * @return every configured server, read in parallel; one that could not be read is offline with
   *     nulls
   */
  Future<List<ProxmoxServer>> servers();

  /**
   * @param serverId a server id
   * @return its node's status
   */
  Future<NodeStatus> status(String serverId);

  /**
   * @param serverId a server id
   * @return its virtual machines and containers, merged, sorted by vmid, counted
   */
  Future<GuestList> vms(String serverId);

  /**
   * @param serverId a server id
   * @param vmid a guest id
   * @return the guest's current status
   */
  Future<Guest> vm(String serverId, long vmid);

  /**
   * Starts a guest (administrators only).
   *
   * @param serverId a server id
   * @param vmid a guest id
   * @return the task id (UPID) to follow
   */
  Future<String> start(String serverId, long vmid);

  /**
   * Stops a guest at once (administrators only).
   *
   * @param serverId a server id
   * @param vmid a guest id
   * @return the task id (UPID) to follow
   */
  Future<String> stop(String serverId, long vmid);

  /**
   * Reboots a running guest (administrators only).
   *
   * @param serverId a server id
   * @param vmid a guest id
   * @return the task id (UPID) to follow
   */
  Future<String> restart(String serverId, long vmid);

  /**
   * @param serverId a server id
   * @param upid a task id, as a power action returned it
   * @return the task's state and the tail of its log
   */
  Future<Task> task(String serverId, String upid);

  /**
   * Polls a task until it ended.
   *
   * @param serverId a server id
   * @param upid a task id
   * @param interval the time between polls
   * @param timeout how long to follow at most
   * @return the ended task; failed with a {@link java.util.concurrent.TimeoutException} if it had
   *     not ended within {@code timeout}, or as {@link #task} fails
   */
  Future<Task> followTask(String serverId, String upid, Duration interval, Duration timeout);
}
