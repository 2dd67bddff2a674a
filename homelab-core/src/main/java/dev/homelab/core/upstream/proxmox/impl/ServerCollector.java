package dev.homelab.core.upstream.proxmox.impl;

import dev.homelab.core.metrics.Point;
import dev.homelab.core.upstream.proxmox.Guest;
import dev.homelab.core.upstream.proxmox.GuestList;
import dev.homelab.core.upstream.proxmox.NodeStatus;
import dev.homelab.core.upstream.proxmox.ProxmoxReads;
import dev.homelab.core.upstream.proxmox.ProxmoxSeries;
import dev.homelab.core.upstream.proxmox.RrdPoint;
import dev.homelab.core.upstream.proxmox.Timeframe;
import io.vertx.core.Future;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One Proxmox node: CPU and memory from its status, network from its RRD's latest minute, disk
 * traffic from its guests' counters. The status is required; the network and disk figures are left
 * out of a run whose RRD or guest list could not be read.
 *
 * <p>Runs of one collector never overlap (the scheduler's rule), so the counters kept between runs
 * need no lock.
 */
public final class ServerCollector extends ProxmoxCollector {

  /** Each running guest's disk counters at the previous run, by vmid. */
  private Map<Long, long[]> previousCounters = Map.of();

  private long previousTime;

  /**
   * @param reads the reads to use, with retries
   * @param serverId the configured server id
   * @param name the collector's name
   * @param interval how often
   * @param timeout how long one run may take
   * @param clock the time of the points
   */
  public ServerCollector(
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
    Future<NodeStatus> status = reads.nodeStatus(serverId);
    Future<List<RrdPoint>> rrd = reads.rrd(serverId, Timeframe.HOUR);
    Future<GuestList> guests = reads.guests(serverId);
    return Future.join(status, rrd, guests)
        .transform(
            joined -> {
              if (status.failed()) {
                return Future.failedFuture(status.cause());
              }
              long now = clock.millis();
              List<Point> points = new ArrayList<>();
              NodeStatus node = status.result();
              points.add(point(ProxmoxSeries.SERVER_CPU_PERCENT, now, node.cpuUsage() * 100));
              points.add(point(ProxmoxSeries.SERVER_RAM_USED, now, node.memory().used()));
              points.add(point(ProxmoxSeries.SERVER_RAM_TOTAL, now, node.memory().total()));
              points.add(point(ProxmoxSeries.SERVER_RAM_PERCENT, now, node.memory().percent()));
              if (rrd.succeeded()) {
                network(rrd.result(), now, points);
              }
              if (guests.succeeded()) {
                disks(guests.result(), now, points);
              }
              return Future.succeededFuture(points);
            });
  }

  /** The node's traffic in the latest RRD step that has a sample (the current one may not yet). */
  private void network(List<RrdPoint> rows, long now, List<Point> points) {
    for (int i = rows.size() - 1; i >= 0; i--) {
      Double rx = rows.get(i).value("netin");
      Double tx = rows.get(i).value("netout");
      if (rx != null && tx != null) {
        points.add(point(ProxmoxSeries.SERVER_NET_RX, now, rx));
        points.add(point(ProxmoxSeries.SERVER_NET_TX, now, tx));
        return;
      }
    }
  }

  /**
   * The guests' disk traffic since the previous run, per second. A guest counts only if it ran at
   * both runs and its counters did not go back (a guest that restarted begins again at 0).
   */
  private void disks(GuestList list, long now, List<Point> points) {
    Map<Long, long[]> counters = new HashMap<>();
    for (Guest guest : list.guests()) {
      if (guest.running()) {
        counters.put(guest.vmid(), new long[] {guest.diskread(), guest.diskwrite()});
      }
    }
    double seconds = (now - previousTime) / 1000.0;
    if (previousTime > 0 && seconds > 0) {
      long read = 0;
      long written = 0;
      for (Map.Entry<Long, long[]> entry : counters.entrySet()) {
        long[] before = previousCounters.get(entry.getKey());
        long[] after = entry.getValue();
        if (before != null && after[0] >= before[0] && after[1] >= before[1]) {
          read += after[0] - before[0];
          written += after[1] - before[1];
        }
      }
      points.add(point(ProxmoxSeries.SERVER_DISK_READ, now, read / seconds));
      points.add(point(ProxmoxSeries.SERVER_DISK_WRITE, now, written / seconds));
    }
    previousCounters = counters;
    previousTime = now;
  }

  private Point point(String series, long time, double value) {
    return new Point(ProxmoxSeries.server(series, serverId), time, value);
  }
}
