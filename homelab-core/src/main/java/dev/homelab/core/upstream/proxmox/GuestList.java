package dev.homelab.core.upstream.proxmox;

import java.util.Comparator;
import java.util.List;

/**
 * Every guest of a server, virtual machines and containers merged and sorted by vmid, with the
 * counts of seed 003's {@code GET /api/proxmox/{server_id}/vms}.
 *
 * @param serverId the configured server id
 * @param guests the guests by vmid
 * @param total how many
 * @param running how many run
 * @param stopped how many do not
 * @param vms how many are virtual machines
 * @param containers how many are containers
 * @param vmsRunning how many virtual machines run
 * @param containersRunning how many containers run
 */
public record GuestList(
    String serverId,
    List<Guest> guests,
    int total,
    int running,
    int stopped,
    int vms,
    int containers,
    int vmsRunning,
    int containersRunning) {

  /** Keeps the list unmodifiable. */
  public GuestList {
    guests = List.copyOf(guests);
  }

  /**
   * @param serverId the server id
   * @param guests the guests in any order
   * @return them sorted by vmid, and counted
   */
  public static GuestList of(String serverId, List<Guest> guests) {
    List<Guest> sorted = guests.stream().sorted(Comparator.comparingLong(Guest::vmid)).toList();
    int running = 0;
    int vms = 0;
    int vmsRunning = 0;
    for (Guest guest : sorted) {
      boolean vm = guest.type() == GuestType.QEMU;
      running += guest.running() ? 1 : 0;
      vms += vm ? 1 : 0;
      vmsRunning += vm && guest.running() ? 1 : 0;
    }
    return new GuestList(
        serverId,
        sorted,
        sorted.size(),
        running,
        sorted.size() - running,
        vms,
        sorted.size() - vms,
        vmsRunning,
        running - vmsRunning);
  }
}
