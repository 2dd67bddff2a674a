package dev.homelab.core.upstream.proxmox;

import static dev.homelab.core.testing.VertxTesting.await;
import static dev.homelab.core.testing.VertxTesting.awaitFailure;
import static org.assertj.core.api.Assertions.assertThat;

import dev.homelab.core.HomelabException;
import dev.homelab.core.NotFoundException;
import dev.homelab.core.ValidationException;
import dev.homelab.core.metrics.Collector;
import dev.homelab.core.metrics.CollectorScheduler;
import dev.homelab.core.metrics.CollectorStats;
import dev.homelab.core.metrics.Downsampler;
import dev.homelab.core.metrics.DownsamplerOptions;
import dev.homelab.core.metrics.MetricRepository;
import dev.homelab.core.metrics.MetricTableResult;
import dev.homelab.core.metrics.Period;
import dev.homelab.core.metrics.TimeRange;
import dev.homelab.core.testing.BlockedThreadGuard;
import dev.homelab.core.testing.MutableClock;
import dev.homelab.core.testing.VertxTesting;
import dev.homelab.core.upstream.UpstreamTls;
import dev.homelab.simulators.proxmox.ProxmoxSimulator;
import dev.homelab.simulators.proxmox.SimulatedGuest;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Proxmox collectors against a simulated server: what a run writes, {@link ProxmoxHistory}
 * reads back in seed 003's columns, with the values the simulator reported. Runs are called
 * directly, on a clock the test moves: nothing waits for an interval.
 */
class ProxmoxCollectorsTest {

  private static Vertx vertx;
  private static ProxmoxSimulator nas;
  private ProxmoxClient client;
  private MutableClock clock;
  private Downsampler downsampler;
  private ProxmoxHistory history;

  @BeforeAll
  static void startSimulator() {
    vertx = VertxTesting.vertx();
    nas =
        await(
            ProxmoxSimulator.start(
                vertx,
                ProxmoxSimulator.Setup.of(
                        "nas",
                        "8.3.2",
                        List.of(
                            SimulatedGuest.qemu(100, "vpn-hub", true),
                            SimulatedGuest.qemu(101, "win11", false),
                            SimulatedGuest.lxc(104, "pihole", true)))
                    .withHardware(12, 66_571_993_088L)));
  }

  @AfterAll
  static void stopSimulator() {
    await(vertx.close());
  }

  @BeforeEach
  void open() {
    client =
        ProxmoxClient.create(
            vertx,
            List.of(
                ProxmoxServerOptions.of(
                        "nas",
                        "NAS Server",
                        nas.baseUrl(),
                        nas.setup().tokenId(),
                        nas.setup().tokenSecret())
                    .withTls(UpstreamTls.pinned(nas.fingerprint()))
                    .withTimeout(Duration.ofSeconds(20))));
    // The JVM's first TLS handshake initialises its TLS stack on the event loop: not the subject.
    BlockedThreadGuard.ignoringReports(() -> await(client.nodeStatus("nas")));
    clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
    downsampler =
        Downsampler.create(vertx, MetricRepository.inMemory(), new DownsamplerOptions(), clock);
    history = new ProxmoxHistory(client, downsampler);
  }

  @AfterEach
  void close() {
    await(downsampler.close());
    client.close();
  }

  private Collector collector(String name) {
    return ProxmoxCollectors.create(
            client,
            ProxmoxCollectors.DEFAULT_SERVER_INTERVAL,
            ProxmoxCollectors.DEFAULT_GUEST_INTERVAL,
            clock)
        .stream()
        .filter(c -> c.name().equals(name))
        .findFirst()
        .orElseThrow();
  }

  private void run(Collector collector) {
    await(collector.collect().compose(downsampler::write));
  }

  private TimeRange lastHour() {
    return TimeRange.last(Period.HOUR, clock.instant());
  }

  @Test
  void oneCollectorPerServerAndKindEachRetriedByTheClientOnly() {
    List<Collector> collectors =
        ProxmoxCollectors.create(client, Duration.ofSeconds(10), Duration.ofSeconds(30), clock);
    assertThat(collectors)
        .extracting(Collector::name, Collector::interval, Collector::retries)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("proxmox.server.nas", Duration.ofSeconds(10), 0),
            org.assertj.core.groups.Tuple.tuple("proxmox.guests.nas", Duration.ofSeconds(30), 0));
    // Time for the request, its three retries at 20 s each and the waits between them.
    assertThat(collectors.get(0).timeout()).isEqualTo(Duration.ofSeconds(90));
    assertThat(ProxmoxCollectors.create(client, Duration.ZERO, Duration.ofSeconds(30), clock))
        .extracting(Collector::name)
        .containsExactly("proxmox.guests.nas");
  }

  @Test
  void aServerRunWritesWhatTheNodeReported() {
    Collector server = collector("proxmox.server.nas");
    run(server);
    NodeStatus reported = await(client.nodeStatus("nas"));

    MetricTableResult first = await(history.server("nas", lastHour(), 0));
    assertThat(first.rows()).hasSize(1);
    MetricTableResult.Row row = first.rows().get(0);
    assertThat(row.timestamp()).isEqualTo(clock.instant().getEpochSecond());
    assertThat(row.value("ram_total")).isEqualTo(66_571_993_088.0);
    // Memory in use follows the running guests only, which no test here changes.
    assertThat(row.value("ram_used")).isEqualTo((double) reported.memory().used());
    assertThat(row.value("ram_percent")).isEqualTo(reported.memory().percent());
    // The simulator's CPU moves between 2 and 22 %, its traffic between 50 and 140 kB/s.
    assertThat(row.value("cpu_percent")).isBetween(2.0, 22.0);
    assertThat(row.value("net_rx")).isBetween(50_000.0, 140_000.0);
    assertThat(row.value("net_tx")).isBetween(20_000.0, 60_000.0);
    // Disk traffic is a rate between two runs: none yet.
    assertThat(row.values()).doesNotContainKeys("disk_read", "disk_write");

    clock.advance(Duration.ofSeconds(10));
    run(server);
    MetricTableResult second = await(history.server("nas", lastHour(), 0));
    assertThat(second.rows()).hasSize(2);
    assertThat(second.rows().get(1).value("disk_read")).isNotNull().isNotNegative();
    assertThat(second.rows().get(1).value("disk_write")).isNotNull().isNotNegative();
  }

  @Test
  void aGuestRunWritesEveryGuestRunningOrNot() {
    run(collector("proxmox.guests.nas"));
    GuestList reported = await(client.guests("nas"));

    for (Guest guest : reported.guests()) {
      MetricTableResult result = await(history.guest("nas", guest.vmid(), lastHour(), 0));
      assertThat(result.rows()).as("guest %s", guest.vmid()).hasSize(1);
      MetricTableResult.Row row = result.rows().get(0);
      assertThat(row.value("ram_total")).isEqualTo((double) guest.maxmem());
      if (guest.running()) {
        // The simulator's guest CPU moves between 1 and 11 %, its memory between 50 and 80 %.
        assertThat(row.value("cpu_percent")).isBetween(1.0, 11.0);
        assertThat(row.value("ram_used")).isBetween(guest.maxmem() * 0.5, guest.maxmem() * 0.8);
      } else {
        assertThat(row.values()).containsEntry("cpu_percent", 0.0).containsEntry("ram_used", 0.0);
      }
    }
    assertThat(reported.guests()).extracting(Guest::vmid).containsExactly(100L, 101L, 104L);
  }

  @Test
  void unknownServersAndGuestsAreNotFoundAndABadVmidIsRefused() {
    run(collector("proxmox.guests.nas"));
    assertThat(code(awaitFailure(history.server("gone", lastHour(), 0))))
        .isEqualTo("PROXMOX_SERVER_NOT_FOUND");
    assertThat(code(awaitFailure(history.guest("gone", 100, lastHour(), 0))))
        .isEqualTo("PROXMOX_SERVER_NOT_FOUND");
    assertThat(code(awaitFailure(history.guest("nas", 555, lastHour(), 0))))
        .isEqualTo("PROXMOX_GUEST_NOT_FOUND");
    Throwable bad = awaitFailure(history.guest("nas", 5, lastHour(), 0));
    assertThat(bad).isInstanceOf(ValidationException.class);
    assertThat(((ValidationException) bad).field()).isEqualTo("vmid");
    Throwable points = awaitFailure(history.server("nas", lastHour(), 2));
    assertThat(((ValidationException) points).field()).isEqualTo("max_points");
  }

  @Test
  void aServerThatCannotBeReadFailsTheRunAndWritesNothing() {
    nas.failNext(100);
    try {
      Collector server =
          new dev.homelab.core.upstream.proxmox.impl.ServerCollector(
              client, // reads once: the retries are the background reads' business
              "nas",
              "proxmox.server.nas",
              Duration.ofSeconds(10),
              Duration.ofSeconds(10),
              clock);
      assertThat(awaitFailure(server.collect())).isInstanceOf(HomelabException.class);
    } finally {
      nas.clearFaults();
    }
    assertThat(await(history.server("nas", lastHour(), 0)).rows()).isEmpty();
  }

  @Test
  void aServerThatIsDownFailsOnlyItsOwnCollectorsAfterTheClientsRetries() throws Exception {
    int closedPort;
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    ProxmoxServerOptions gone =
        ProxmoxServerOptions.of(
                "gone",
                "Gone",
                "https://127.0.0.1:" + closedPort,
                nas.setup().tokenId(),
                nas.setup().tokenSecret())
            .withTls(UpstreamTls.pinned(nas.fingerprint()));
    try (ProxmoxClient both =
        ProxmoxClient.create(
            vertx,
            List.of(
                ProxmoxServerOptions.of(
                        "nas",
                        "NAS Server",
                        nas.baseUrl(),
                        nas.setup().tokenId(),
                        nas.setup().tokenSecret())
                    .withTls(UpstreamTls.pinned(nas.fingerprint())),
                gone))) {
      CollectorScheduler scheduler =
          CollectorScheduler.create(
              vertx, downsampler, Duration.ofSeconds(10), Duration.ofMillis(10), clock);
      long requestsBefore = nas.requests().size();
      // Added, each runs at once.
      ProxmoxCollectors.create(both, Duration.ofHours(1), Duration.ofHours(1), clock)
          .forEach(scheduler::add);
      // The server that answers delivers while the other's reads are still being retried (1, 2
      // and 4 s).
      Awaitility.await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> scheduler.stats().get("proxmox.server.nas").successes() == 1);
      assertThat(scheduler.stats().get("proxmox.server.gone").failures()).isZero();
      Awaitility.await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> scheduler.stats().get("proxmox.server.gone").failures() == 1);
      CollectorStats failed = scheduler.stats().get("proxmox.server.gone");
      assertThat(failed.failures()).isEqualTo(1);
      assertThat(failed.retries()).as("the scheduler does not retry on top of the client").isZero();
      assertThat(scheduler.stats().get("proxmox.server.nas").failures()).isZero();
      assertThat(nas.requests().size()).isGreaterThan((int) requestsBefore);
      assertThat(await(history.server("nas", lastHour(), 0)).rows()).hasSize(1);
      await(scheduler.close());
    }
  }

  private static String code(Throwable failure) {
    assertThat(failure).isInstanceOf(NotFoundException.class);
    return ((NotFoundException) failure).errorCode();
  }
}
