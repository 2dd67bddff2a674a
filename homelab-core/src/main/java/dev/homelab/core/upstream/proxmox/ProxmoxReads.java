package dev.homelab.core.upstream.proxmox;

import io.vertx.core.Future;
import java.util.List;

/**
 * What can be read from the configured Proxmox servers. {@link ProxmoxClient} reads once, for users
 * waiting on an answer; {@link ProxmoxClient#background()} retries failed reads with backoff, for
 * collectors.
 *
 * <p>Every method fails with {@link dev.homelab.core.NotFoundException} for an unknown server id,
 * {@link dev.homelab.core.ValidationException} for a malformed vmid or UPID (nothing is sent then),
 * or {@link dev.homelab.core.upstream.UpstreamException} for what went wrong upstream.
 */
public interface ProxmoxReads {

  /**
   * Reads every server's node status in parallel. Never fails: a server that cannot be read is
   * {@code online=false} with nulls.
   *
   * @return the servers in configured order
   */
  Future<List<ProxmoxServer>> servers();

  /**
   * @param serverId a configured server id
   * @return its node's status
   */
  Future<NodeStatus> nodeStatus(String serverId);

  /**
   * @param serverId a configured server id
   * @return its virtual machines and containers, merged, sorted by vmid, counted
   */
  Future<GuestList> guests(String serverId);

  /**
   * @param serverId a configured server id
   * @param vmid a guest id, 100 to 999999999
   * @return the guest's current status, whether it is a virtual machine or a container
   */
  Future<Guest> guest(String serverId, long vmid);

  /**
   * @param serverId a configured server id
   * @param upid a task id, as a power action answered it
   * @return the task's state with the last lines of its log
   */
  Future<TaskState> task(String serverId, String upid);

  /**
   * @param serverId a configured server id
   * @param timeframe how far back
   * @return the node's RRD history, oldest first
   */
  Future<List<RrdPoint>> rrd(String serverId, Timeframe timeframe);

  /**
   * @param serverId a configured server id
   * @param vmid a guest id
   * @param timeframe how far back
   * @return the guest's RRD history, oldest first
   */
  Future<List<RrdPoint>> rrd(String serverId, long vmid, Timeframe timeframe);
}
