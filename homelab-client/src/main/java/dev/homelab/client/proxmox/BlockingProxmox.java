package dev.homelab.client.proxmox;

import dev.homelab.client.internal.Waiter;
import java.time.Duration;
import java.util.List;

/** The blocking twin of {@link ProxmoxApi}: each call waits for its answer. */
public final class BlockingProxmox {

  private final ProxmoxApi proxmox;
  private final Waiter waiter;

  /**
   * @param proxmox the asynchronous API
   * @param timeoutMs how long a call waits at most
   */
  public BlockingProxmox(ProxmoxApi proxmox, long timeoutMs) {
    this.proxmox = proxmox;
    this.waiter = new Waiter(timeoutMs);
  }

  /**
   * @return {@link ProxmoxApi#servers()}
   */
  public List<ProxmoxServer> servers() {
    return waiter.await(proxmox.servers());
  }

  /**
   * @param serverId a server id
   * @return {@link ProxmoxApi#status(String)}
   */
  public NodeStatus status(String serverId) {
    return waiter.await(proxmox.status(serverId));
  }

  /**
   * @param serverId a server id
   * @return {@link ProxmoxApi#vms(String)}
   */
  public GuestList vms(String serverId) {
    return waiter.await(proxmox.vms(serverId));
  }

  /**
   * @param serverId a server id
   * @param vmid a guest id
   * @return {@link ProxmoxApi#vm(String, long)}
   */
  public Guest vm(String serverId, long vmid) {
    return waiter.await(proxmox.vm(serverId, vmid));
  }

  /**
   * @param serverId a server id
   * @param vmid a guest id
   * @return the task id
   */
  public String start(String serverId, long vmid) {
    return waiter.await(proxmox.start(serverId, vmid));
  }

  /**
   * @param serverId a server id
   * @param vmid a guest id
   * @return the task id
   */
  public String stop(String serverId, long vmid) {
    return waiter.await(proxmox.stop(serverId, vmid));
  }

  /**
   * @param serverId a server id
   * @param vmid a guest id
   * @return the task id
   */
  public String restart(String serverId, long vmid) {
    return waiter.await(proxmox.restart(serverId, vmid));
  }

  /**
   * @param serverId a server id
   * @param upid a task id
   * @return {@link ProxmoxApi#task(String, String)}
   */
  public Task task(String serverId, String upid) {
    return waiter.await(proxmox.task(serverId, upid));
  }

  /**
   * Waits at most {@code timeout} (plus this client's call timeout).
   *
   * @param serverId a server id
   * @param upid a task id
   * @param interval the time between polls
   * @param timeout how long to follow at most
   * @return {@link ProxmoxApi#followTask}
   */
  public Task followTask(String serverId, String upid, Duration interval, Duration timeout) {
    return waiter.await(proxmox.followTask(serverId, upid, interval, timeout));
  }
}
