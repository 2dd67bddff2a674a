package dev.homelab.core.upstream.proxmox.impl;

import dev.homelab.core.metrics.Point;
import dev.homelab.core.upstream.proxmox.Guest;
import dev.homelab.core.upstream.proxmox.ProxmoxReads;
import dev.homelab.core.upstream.proxmox.ProxmoxSeries;
import io.vertx.core.Future;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One server's guests, from one read of its guest list: CPU and memory of every guest but
 * templates. A stopped guest is written too, with its CPU and memory in use at 0, so that its
 * history shows when it was off and a guest is known to the history as soon as it was seen once.
 */
public final class GuestCollector extends ProxmoxCollector {

  /**
   * @param reads the reads to use, with retries
   * @param serverId the configured server id
   * @param name the collector's name
   * @param interval how often
   * @param timeout how long one run may take
   * @param clock the time of the points
   */
  public GuestCollector(
      ProxmoxReads reads,
      String serverId,
      String name,
      Duration interval,
      Duration timeout,
      Clock clock) {
    super(reads, serverId, name, interval, timeout, clock);
  }

  @Override
  public Future<List<Point>> collect() {
    return reads
        .guests(serverId)
        .map(
            list -> {
              long now = clock.millis();
              List<Point> points = new ArrayList<>();
              for (Guest guest : list.guests()) {
                if (guest.template()) {
                  continue;
                }
                long vmid = guest.vmid();
                double cpu = guest.running() ? guest.cpu() * 100 : 0;
                double used = guest.running() ? guest.mem() : 0;
                points.add(point(ProxmoxSeries.GUEST_CPU_PERCENT, vmid, now, cpu));
                points.add(point(ProxmoxSeries.GUEST_RAM_USED, vmid, now, used));
                points.add(point(ProxmoxSeries.GUEST_RAM_TOTAL, vmid, now, guest.maxmem()));
              }
              return points;
            });
  }

  private Point point(String series, long vmid, long time, double value) {
    return new Point(ProxmoxSeries.guest(series, serverId, vmid), time, value);
  }
}
