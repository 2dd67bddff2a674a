package dev.homelab.core.upstream.proxmox;

import dev.homelab.core.metrics.MetricTable;
import dev.homelab.core.metrics.SeriesKey;
import java.util.Map;

/**
 * The names of the Proxmox servers' and guests' series and tags, declared once: the collectors of
 * {@link ProxmoxCollectors} write them, {@link #serverTable} and {@link #guestTable} read them back
 * in the shapes of seed 003's {@code /api/metrics/server/{server_id}} and {@code
 * /api/metrics/vm/{server_id}/{vmid}}, and an app that queries the history can use them instead of
 * spelling the names again.
 *
 * <p>Every series carries the {@link #SERVER} tag (the configured server id); a guest's also the
 * {@link #VMID} tag. Both are bounded: the configured servers and their guests.
 */
public final class ProxmoxSeries {

  private ProxmoxSeries() {}

  /** A node's CPU use, all its CPUs together, 0 to 100. */
  public static final String SERVER_CPU_PERCENT = "proxmox.server.cpu.percent";

  /** A node's memory in use, bytes. */
  public static final String SERVER_RAM_USED = "proxmox.server.ram.used";

  /** A node's memory in all, bytes. */
  public static final String SERVER_RAM_TOTAL = "proxmox.server.ram.total";

  /** A node's memory in use, 0 to 100. */
  public static final String SERVER_RAM_PERCENT = "proxmox.server.ram.percent";

  /**
   * Bytes read per second by the node's guests, added up: a Proxmox node reports no disk traffic of
   * its own, and its guests' is what its disks carry.
   */
  public static final String SERVER_DISK_READ = "proxmox.server.disk.read";

  /** Bytes written per second by the node's guests, added up (see {@link #SERVER_DISK_READ}). */
  public static final String SERVER_DISK_WRITE = "proxmox.server.disk.write";

  /** Bytes received per second by the node, its RRD's last one-minute average. */
  public static final String SERVER_NET_RX = "proxmox.server.net.rx";

  /** Bytes sent per second by the node, its RRD's last one-minute average. */
  public static final String SERVER_NET_TX = "proxmox.server.net.tx";

  /** A guest's CPU use, 0 to 100 of its virtual CPUs (0 while stopped). */
  public static final String GUEST_CPU_PERCENT = "proxmox.guest.cpu.percent";

  /** A guest's memory in use, bytes (0 while stopped). */
  public static final String GUEST_RAM_USED = "proxmox.guest.ram.used";

  /** A guest's memory in all, bytes: written for every guest but templates, running or not. */
  public static final String GUEST_RAM_TOTAL = "proxmox.guest.ram.total";

  /** The tag of every series: the configured server id, such as {@code nas}. */
  public static final String SERVER = "server";

  /** The tag of a guest's series: its vmid. */
  public static final String VMID = "vmid";

  /**
   * @param name one of the {@code SERVER_*} names
   * @param serverId a configured server id
   * @return the server's series of that name
   */
  public static SeriesKey server(String name, String serverId) {
    return SeriesKey.of(name, Map.of(SERVER, serverId));
  }

  /**
   * @param name one of the {@code GUEST_*} names
   * @param serverId a configured server id
   * @param vmid the guest's id
   * @return the guest's series of that name
   */
  public static SeriesKey guest(String name, String serverId, long vmid) {
    return SeriesKey.of(name, Map.of(SERVER, serverId, VMID, Long.toString(vmid)));
  }

  /**
   * A server's history in the shape of seed 003's {@code /api/metrics/server/{server_id}}: {@code
   * cpu_percent}, {@code ram_used}, {@code ram_total}, {@code ram_percent}, {@code disk_read},
   * {@code disk_write}, {@code net_rx}, {@code net_tx}, each its series' bucket average. Reductions
   * follow {@code cpu_percent}.
   *
   * @param serverId a configured server id
   * @return the table
   */
  public static MetricTable serverTable(String serverId) {
    return MetricTable.builder()
        .column("cpu_percent", server(SERVER_CPU_PERCENT, serverId))
        .column("ram_used", server(SERVER_RAM_USED, serverId))
        .column("ram_total", server(SERVER_RAM_TOTAL, serverId))
        .column("ram_percent", server(SERVER_RAM_PERCENT, serverId))
        .column("disk_read", server(SERVER_DISK_READ, serverId))
        .column("disk_write", server(SERVER_DISK_WRITE, serverId))
        .column("net_rx", server(SERVER_NET_RX, serverId))
        .column("net_tx", server(SERVER_NET_TX, serverId))
        .primary("cpu_percent")
        .build();
  }

  /**
   * A guest's history in the shape of seed 003's {@code /api/metrics/vm/{server_id}/{vmid}}: {@code
   * cpu_percent}, {@code ram_used}, {@code ram_total}, each its series' bucket average. Reductions
   * follow {@code cpu_percent}.
   *
   * @param serverId a configured server id
   * @param vmid the guest's id
   * @return the table
   */
  public static MetricTable guestTable(String serverId, long vmid) {
    return MetricTable.builder()
        .column("cpu_percent", guest(GUEST_CPU_PERCENT, serverId, vmid))
        .column("ram_used", guest(GUEST_RAM_USED, serverId, vmid))
        .column("ram_total", guest(GUEST_RAM_TOTAL, serverId, vmid))
        .primary("cpu_percent")
        .build();
  }
}
