package dev.homelab.core.upstream.proxmox;

import java.util.List;

/**
 * A qemu virtual machine or an lxc container, from a node's guest index or its current status.
 * Counters Proxmox left out (a stopped guest has few) are 0.
 *
 * @param vmid its id (Proxmox sends a container's as a string before PVE 8.2)
 * @param type qemu or lxc
 * @param name its name, or {@code null}
 * @param node the node it is on
 * @param status {@code running}, {@code stopped}, or what Proxmox said
 * @param running whether its status is {@code running}
 * @param template whether it is a template
 * @param uptime seconds since it started, 0 when stopped
 * @param cpu CPU use as a fraction of its CPUs, 0..1
 * @param cpus its virtual CPUs
 * @param mem used memory in bytes
 * @param maxmem its memory in bytes
 * @param disk used disk in bytes (always 0 for a virtual machine)
 * @param maxdisk its disk in bytes
 * @param netin bytes received since it started
 * @param netout bytes sent since it started
 * @param diskread bytes read since it started
 * @param diskwrite bytes written since it started
 * @param pid its process id while it runs, or {@code null}
 * @param lock its lock (such as {@code backup}), or {@code null}
 * @param tags its tags
 */
public record Guest(
    long vmid,
    GuestType type,
    String name,
    String node,
    String status,
    boolean running,
    boolean template,
    long uptime,
    double cpu,
    int cpus,
    long mem,
    long maxmem,
    long disk,
    long maxdisk,
    long netin,
    long netout,
    long diskread,
    long diskwrite,
    Long pid,
    String lock,
    List<String> tags) {

  /** Keeps the tags unmodifiable. */
  public Guest {
    tags = tags == null ? List.of() : List.copyOf(tags);
  }
}
