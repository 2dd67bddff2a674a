package dev.homelab.examples;

import dev.homelab.core.metrics.CollectorScheduler;
import dev.homelab.core.metrics.CollectorStats;
import dev.homelab.core.metrics.Downsampler;
import dev.homelab.core.metrics.MetricRepository;
import dev.homelab.core.metrics.MetricTableResult;
import dev.homelab.core.metrics.Period;
import dev.homelab.core.metrics.TimeRange;
import dev.homelab.core.upstream.UpstreamTls;
import dev.homelab.core.upstream.proxmox.ProxmoxClient;
import dev.homelab.core.upstream.proxmox.ProxmoxCollectors;
import dev.homelab.core.upstream.proxmox.ProxmoxHistory;
import dev.homelab.core.upstream.proxmox.ProxmoxServerOptions;
import dev.homelab.simulators.proxmox.ProxmoxSimulator;
import dev.homelab.simulators.proxmox.SimulatedGuest;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Collects a Proxmox VE server's node and guests into a downsampler, as the server's leader does,
 * and reads their history back in seed 003's columns. A simulated Proxmox node stands in for a real
 * one; the metrics are kept in memory.
 */
public final class UpstreamHistoryExample {

  private UpstreamHistoryExample() {}

  public static void main(String[] args) throws InterruptedException {
    Vertx vertx = Vertx.vertx();
    try {
      run(vertx).forEach(System.out::println);
    } finally {
      vertx.close().await();
    }
  }

  /**
   * Starts the simulator, collects one round, reads it back. Waits with {@code await()}: call it
   * from a plain or a virtual thread, never from an event loop.
   *
   * @param vertx the Vert.x instance
   * @return what the example found
   * @throws InterruptedException if interrupted while waiting for the first round
   */
  static List<String> run(Vertx vertx) throws InterruptedException {
    ProxmoxSimulator simulator =
        ProxmoxSimulator.start(
                vertx,
                ProxmoxSimulator.Setup.of(
                    "pve",
                    "8.3.2",
                    List.of(
                        SimulatedGuest.qemu(100, "home-assistant", true),
                        SimulatedGuest.lxc(200, "pihole", false))))
            .await();
    ProxmoxServerOptions server =
        ProxmoxServerOptions.of(
                "rack",
                "Rack server",
                simulator.baseUrl(),
                simulator.setup().tokenId(),
                simulator.setup().tokenSecret())
            .withTls(UpstreamTls.pinned(simulator.fingerprint()));
    List<String> out = new ArrayList<>();
    Downsampler downsampler = Downsampler.create(vertx, MetricRepository.inMemory());
    try (ProxmoxClient proxmox = ProxmoxClient.create(vertx, List.of(server))) {
      // snippet:upstream-history
      // The node every 10 s, its guests every 30 s, each run at once when added; reads retried by
      // the client, so a server that is down costs its own collectors a failed run, nothing more.
      CollectorScheduler scheduler = CollectorScheduler.create(vertx, downsampler);
      ProxmoxCollectors.create(
              proxmox,
              ProxmoxCollectors.DEFAULT_SERVER_INTERVAL,
              ProxmoxCollectors.DEFAULT_GUEST_INTERVAL,
              Clock.systemUTC())
          .forEach(scheduler::add);
      awaitFirstRound(scheduler);

      ProxmoxHistory history = new ProxmoxHistory(proxmox, downsampler);
      TimeRange lastHour = TimeRange.last(Period.HOUR, Clock.systemUTC().instant());
      MetricTableResult node = history.server("rack", lastHour, 300).await();
      out.add(
          "rack: " + node.rows().size() + " row, columns " + node.rows().get(0).values().keySet());
      for (long vmid : new long[] {100, 200}) {
        MetricTableResult.Row row =
            history.guest("rack", vmid, lastHour, 300).await().rows().get(0);
        out.add("guest " + vmid + ": " + row.values());
      }
      scheduler.close().await();
      // end:upstream-history
    } finally {
      downsampler.close().await();
      simulator.stop().await();
    }
    return out;
  }

  /** Waits until every collector delivered once: the round the scheduler starts when added. */
  private static void awaitFirstRound(CollectorScheduler scheduler) throws InterruptedException {
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (System.nanoTime() < deadline) {
      Map<String, CollectorStats> stats = scheduler.stats();
      if (stats.values().stream().allMatch(s -> s.successes() > 0)) {
        return;
      }
      Thread.sleep(20);
    }
    throw new IllegalStateException("the first round did not end: " + scheduler.stats());
  }
}
