package dev.homelab.core.upstream.proxmox.impl;

import dev.homelab.core.metrics.Collector;
import dev.homelab.core.upstream.proxmox.ProxmoxReads;
import java.time.Clock;
import java.time.Duration;

/**
 * What the collectors of one Proxmox server share: the reads they make (with the client's
 * background retries, so the scheduler retries nothing itself), the server, their name, interval
 * and run timeout, and the clock of their points.
 */
abstract class ProxmoxCollector implements Collector {

  protected final ProxmoxReads reads;
  protected final String serverId;
  protected final Clock clock;
  private final String name;
  private final Duration interval;
  private final Duration timeout;

  /**
   * @param reads the reads to use, with retries
   * @param serverId the configured server id
   * @param name the collector's name
   * @param interval how often
   * @param timeout how long one run may take
   * @param clock the time of the points
   */
  ProxmoxCollector(
      ProxmoxReads reads,
      String serverId,
      String name,
      Duration interval,
      Duration timeout,
      Clock clock) {
    this.reads = reads;
    this.serverId = serverId;
    this.name = name;
    this.interval = interval;
    this.timeout = timeout;
    this.clock = clock;
  }

  @Override
  public final String name() {
    return name;
  }

  @Override
  public final Duration interval() {
    return interval;
  }

  @Override
  public final Duration timeout() {
    return timeout;
  }

  @Override
  public final int retries() {
    return 0; // the background reads retry their requests already
  }
}
