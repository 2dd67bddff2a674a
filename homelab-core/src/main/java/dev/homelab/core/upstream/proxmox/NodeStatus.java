package dev.homelab.core.upstream.proxmox;

import java.util.List;

/**
 * A Proxmox node's status ({@code GET /nodes/{node}/status}), shaped as seed 003's {@code GET
 * /api/proxmox/{server_id}/status}. Values Proxmox left out are 0 (or {@code null} for text).
 *
 * @param serverId the configured server id
 * @param node the node's name
 * @param uptime seconds since boot
 * @param loadavg the 1, 5 and 15 minute load averages (Proxmox sends them as strings)
 * @param cpuCount logical CPUs
 * @param cpuUsage CPU use as a fraction 0..1
 * @param cpuModel the CPU model, or {@code null}
 * @param ioWait the share of time waiting for I/O, 0..1
 * @param memory memory in bytes
 * @param swap swap in bytes
 * @param rootfs the root file system in bytes ({@code free} is what is available to users)
 * @param version the PVE version, such as {@code 8.3.2} or {@code 7.4-16}, or {@code null}
 * @param kernel the running kernel, or {@code null}
 */
public record NodeStatus(
    String serverId,
    String node,
    long uptime,
    List<Double> loadavg,
    int cpuCount,
    double cpuUsage,
    String cpuModel,
    double ioWait,
    Usage memory,
    Usage swap,
    Usage rootfs,
    String version,
    String kernel) {

  /** Keeps the list unmodifiable. */
  public NodeStatus {
    loadavg = List.copyOf(loadavg);
  }

  /**
   * How much of something is used.
   *
   * @param total the whole, in bytes
   * @param used the used part
   * @param free the free part
   * @param percent used in percent of total, one decimal; 0 when total is 0
   */
  public record Usage(long total, long used, long free, double percent) {

    /**
     * @param total the whole
     * @param used the used part
     * @param free the free part
     * @return the usage with its percentage
     */
    public static Usage of(long total, long used, long free) {
      double percent = total <= 0 ? 0 : Math.round(used * 1000.0 / total) / 10.0;
      return new Usage(total, used, free, percent);
    }
  }
}
