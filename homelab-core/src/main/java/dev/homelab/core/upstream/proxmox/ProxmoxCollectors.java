package dev.homelab.core.upstream.proxmox;

import dev.homelab.core.metrics.Collector;
import dev.homelab.core.upstream.proxmox.impl.GuestCollector;
import dev.homelab.core.upstream.proxmox.impl.ServerCollector;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The Proxmox servers as {@link Collector}s for a {@link
 * dev.homelab.core.metrics.CollectorScheduler}: per configured server, one collector of the node
 * ({@value #SERVER_PREFIX}{@code <id>}, every 10 s by default) and one of its guests ({@value
 * #GUESTS_PREFIX}{@code <id>}, every 30 s), writing the series of {@link ProxmoxSeries}.
 *
 * <p>They read through {@link ProxmoxClient#background()}, whose requests are retried with backoff,
 * so the scheduler does not retry them again ({@link Collector#retries()} is 0) and gives an
 * attempt time for every retry of its requests. One collector per server keeps a server that is
 * down from delaying or failing the others.
 *
 * <pre>{@code
 * CollectorScheduler scheduler = CollectorScheduler.create(vertx, downsampler);
 * ProxmoxCollectors.create(proxmox, ProxmoxCollectors.DEFAULT_SERVER_INTERVAL,
 *         ProxmoxCollectors.DEFAULT_GUEST_INTERVAL, Clock.systemUTC())
 *     .forEach(scheduler::add);
 * }</pre>
 */
public final class ProxmoxCollectors {

  /** How often a node is read by default: 10 seconds (seed 003). */
  public static final Duration DEFAULT_SERVER_INTERVAL = Duration.ofSeconds(10);

  /** How often a server's guests are read by default: 30 seconds (seed 003). */
  public static final Duration DEFAULT_GUEST_INTERVAL = Duration.ofSeconds(30);

  /** The start of a node collector's name, followed by the server id: {@value}. */
  public static final String SERVER_PREFIX = "proxmox.server.";

  /** The start of a guest collector's name, followed by the server id: {@value}. */
  public static final String GUESTS_PREFIX = "proxmox.guests.";

  private ProxmoxCollectors() {}

  /**
   * @param client the client of the servers
   * @param serverInterval how often each node is read; zero for no node collectors
   * @param guestInterval how often each server's guests are read; zero for no guest collectors
   * @param clock what time the points are measured at
   * @return the collectors, each server's node collector then its guest collector, in configured
   *     order
   * @throws IllegalArgumentException if an interval is negative
   */
  public static List<Collector> create(
      ProxmoxClient client, Duration serverInterval, Duration guestInterval, Clock clock) {
    Objects.requireNonNull(client, "client");
    Objects.requireNonNull(clock, "clock");
    if (serverInterval.isNegative() || guestInterval.isNegative()) {
      throw new IllegalArgumentException("an interval must not be negative");
    }
    List<Collector> collectors = new ArrayList<>();
    for (ProxmoxServerOptions server : client.configured()) {
      Duration timeout = attemptTimeout(server.timeout());
      if (!serverInterval.isZero()) {
        collectors.add(
            new ServerCollector(
                client.background(),
                server.id(),
                SERVER_PREFIX + server.id(),
                serverInterval,
                timeout,
                clock));
      }
      if (!guestInterval.isZero()) {
        collectors.add(
            new GuestCollector(
                client.background(),
                server.id(),
                GUESTS_PREFIX + server.id(),
                guestInterval,
                timeout,
                clock));
      }
    }
    return List.copyOf(collectors);
  }

  /**
   * How long one collection may take: every attempt of its requests (the first and 3 retries, each
   * up to the server's timeout) and the waits between them (1, 2 and 4 s, up to 25% more).
   */
  private static Duration attemptTimeout(Duration requestTimeout) {
    return requestTimeout.multipliedBy(4).plusSeconds(10);
  }
}
