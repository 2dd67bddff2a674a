package dev.homelab.server;

import static dev.homelab.core.testing.VertxTesting.await;
import static dev.homelab.core.testing.VertxTesting.awaitFailure;
import static org.assertj.core.api.Assertions.assertThat;

import dev.homelab.client.HomelabHttpException;
import dev.homelab.client.metrics.AutomationMetrics;
import dev.homelab.client.metrics.GuestMetrics;
import dev.homelab.client.metrics.MetricQuery;
import dev.homelab.client.metrics.ServerMetrics;
import dev.homelab.client.proxmox.GuestSummary;
import dev.homelab.client.proxmox.NodeStatus;
import dev.homelab.core.testing.BlockedThreadGuard;
import dev.homelab.core.testing.VertxTesting;
import dev.homelab.simulators.automation.AutomationSimulator;
import dev.homelab.simulators.proxmox.ProxmoxSimulator;
import dev.homelab.simulators.proxmox.SimulatedGuest;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /api/metrics/server}, {@code /api/metrics/vm} and {@code /api/metrics/automation} through
 * the client against a real server collecting from a simulated Proxmox server and the automation
 * simulator. The intervals are an hour, so the scheduler collects only when the test asks it to
 * ({@code runNow}); the history must then hold what the simulators reported.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class UpstreamMetricsApiTest {

  private static final String PASSWORD = "automation-Pa55-" + System.nanoTime();
  private static final String KITCHEN = "main/kitchen/motion_light";

  @TempDir static Path dir;
  @TempDir static Path offDir;

  static Vertx simulators;
  static ProxmoxSimulator nas;
  static AutomationSimulator automation;
  static ServerTesting lab;
  static ServerTesting off;

  @BeforeAll
  static void start() {
    simulators = VertxTesting.vertx();
    nas =
        await(
            ProxmoxSimulator.start(
                simulators,
                ProxmoxSimulator.Setup.of(
                        "nas",
                        "8.3.2",
                        List.of(
                            SimulatedGuest.qemu(100, "vpn-hub", true),
                            SimulatedGuest.qemu(101, "win11", false),
                            SimulatedGuest.lxc(104, "pihole", true)))
                    .withHardware(12, 66_571_993_088L)));
    automation =
        await(
            AutomationSimulator.start(
                simulators,
                AutomationSimulator.Setup.defaults().withCredentials("admin", PASSWORD)));
    TestSecrets.remember(PASSWORD);
    TestSecrets.remember(nas.setup().tokenSecret());
    Map<String, String> settings = new HashMap<>();
    settings.put("PROXMOX_SERVERS", "nas");
    settings.put("PROXMOX_NAS_URL", nas.baseUrl());
    settings.put("PROXMOX_NAS_NAME", "NAS Server");
    settings.put("PROXMOX_NAS_TOKEN_ID", nas.setup().tokenId());
    settings.put("PROXMOX_NAS_TOKEN_SECRET", nas.setup().tokenSecret());
    settings.put("PROXMOX_NAS_FINGERPRINT", nas.fingerprint());
    settings.put("PROXMOX_NAS_TIMEOUT_SECONDS", "5");
    settings.put("AUTOMATION_API_URL", automation.baseUrl());
    settings.put("AUTOMATION_API_USER", "admin");
    settings.put("AUTOMATION_API_PASSWORD", PASSWORD);
    // Collected only when the test asks: the ticks come an hour apart.
    settings.put("METRICS_INTERVAL_SERVERS", "3600");
    settings.put("METRICS_INTERVAL_VMS", "3600");
    settings.put("METRICS_INTERVAL_AUTOMATIONS", "3600");
    BlockedThreadGuard.ignoringReports(
        () -> {
          lab = ServerTesting.start(dir, settings);
          // The first TLS handshakes warm the JDK's TLS stack: not what is tested here.
          await(lab.client.proxmox().status("nas"));
        });
    off = ServerTesting.start(offDir);
  }

  @AfterAll
  static void stop() {
    if (lab != null) {
      lab.close();
    }
    if (off != null) {
      off.close();
    }
    if (simulators != null) {
      await(simulators.close());
    }
  }

  /**
   * Runs a collector now; a run the scheduler started itself (a first tick that came after the
   * leader's resume) may still be going on, and runNow then answers false until it ended.
   */
  private static void collect(String collector) {
    Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> await(lab.server.collectors().runNow(collector)));
  }

  @Test
  void aServersHistoryHoldsWhatItsNodeReported() {
    collect("proxmox.server.nas");
    NodeStatus reported = await(lab.client.proxmox().status("nas"));

    ServerMetrics history = await(lab.client.metrics().server("nas", "1h"));
    assertThat(history.serverId()).isEqualTo("nas");
    assertThat(history.period()).isEqualTo("1h");
    assertThat(history.tier()).isEqualTo("raw");
    assertThat(history.intervalSeconds()).as("the collector's interval").isEqualTo(3600);
    assertThat(history.rows()).isNotEmpty();
    ServerMetrics.Row row = history.rows().get(history.rows().size() - 1);
    assertThat(row.ramTotal()).isEqualTo(66_571_993_088.0);
    // Memory in use follows the running guests, which no test here changes.
    assertThat(row.ramUsed()).isEqualTo((double) reported.memory().used());
    assertThat(row.ramPercent()).isEqualTo(reported.memory().percent());
    // The simulator's CPU moves between 2 and 22 %, its traffic between 50 and 140 kB/s.
    assertThat(row.cpuPercent()).isBetween(2.0, 22.0);
    assertThat(row.netRx()).isBetween(50_000.0, 140_000.0);
    assertThat(row.netTx()).isBetween(20_000.0, 60_000.0);

    // The blocking facade reads the same, and max_points is accepted.
    assertThat(
            lab.client
                .blocking()
                .metrics()
                .server("nas", MetricQuery.last(null, "1h").withMaxPoints(100))
                .rows())
        .isEqualTo(history.rows());
  }

  @Test
  void aGuestsHistoryHoldsWhatTheServerReportedOfIt() {
    collect("proxmox.guests.nas");
    List<GuestSummary> guests = await(lab.client.proxmox().vms("nas")).instances();
    assertThat(guests).extracting(GuestSummary::vmid).containsExactly(100L, 101L, 104L);

    for (GuestSummary guest : guests) {
      GuestMetrics history = await(lab.client.metrics().vm("nas", guest.vmid(), "1h"));
      assertThat(history.serverId()).isEqualTo("nas");
      assertThat(history.vmid()).isEqualTo(guest.vmid());
      GuestMetrics.Row row = history.rows().get(history.rows().size() - 1);
      assertThat(row.ramTotal()).isEqualTo((double) guest.maxmem());
      if (guest.status().equals("running")) {
        // The simulator's guest CPU moves between 1 and 11 %, its memory between 50 and 80 %.
        assertThat(row.cpuPercent()).isBetween(1.0, 11.0);
        assertThat(row.ramUsed()).isBetween(guest.maxmem() * 0.5, guest.maxmem() * 0.8);
      } else {
        assertThat(row.cpuPercent()).isZero();
        assertThat(row.ramUsed()).isZero();
      }
    }
    assertThat(lab.client.blocking().metrics().vm("nas", 100, "1h").rows()).isNotEmpty();
  }

  @Test
  void anAutomationsHistoryHoldsTheCountsTheApiReported() {
    long before = count(KITCHEN);
    collect("automations");
    long after = count(KITCHEN);

    AutomationMetrics history = await(lab.client.metrics().automation(KITCHEN, "1h"));
    assertThat(history.automationName()).isEqualTo(KITCHEN);
    AutomationMetrics.Row row = history.rows().get(history.rows().size() - 1);
    // The count moves while the test runs: the stored one lies between the reads around it.
    assertThat(row.triggersCount()).isBetween((double) before, (double) after);
    assertThat(row.errorsCount()).isZero();
    assertThat(lab.client.blocking().metrics().automation(KITCHEN, "1h").rows()).isNotEmpty();
  }

  private static long count(String name) {
    return await(lab.client.automations().get(name)).triggersCount();
  }

  @Test
  void theUpstreamCollectorsAreCountedOnMetrics() {
    collect("automations");
    assertThat(
            lab.registry
                .get("homelab.collector.runs")
                .tags("collector", "automations", "outcome", "success")
                .functionCounter()
                .count())
        .isPositive();
    assertThat(
            lab.registry
                .get("homelab.collector.runs")
                .tags("collector", "proxmox.guests.nas", "outcome", "failure")
                .functionCounter()
                .count())
        .isZero();
  }

  @Test
  void unknownServersGuestsAndAutomationsAreNotFound() {
    collect("proxmox.guests.nas");
    collect("automations");
    assertError(lab.client.metrics().server("gone", "1h"), 404, "PROXMOX_SERVER_NOT_FOUND");
    assertError(lab.client.metrics().vm("gone", 100, "1h"), 404, "PROXMOX_SERVER_NOT_FOUND");
    assertError(lab.client.metrics().vm("nas", 555, "1h"), 404, "PROXMOX_GUEST_NOT_FOUND");
    assertError(lab.client.metrics().automation("nobody/home", "1h"), 404, "AUTOMATION_NOT_FOUND");
    // The stopped automation reports no counts, so it has no history.
    assertError(
        lab.client.metrics().automation("main/garage/door_alert", "1h"),
        404,
        "AUTOMATION_NOT_FOUND");
    // A server without upstreams knows none.
    assertError(off.client.metrics().server("nas", "1h"), 404, "PROXMOX_SERVER_NOT_FOUND");
    assertError(off.client.metrics().vm("nas", 100, "1h"), 404, "PROXMOX_SERVER_NOT_FOUND");
    assertError(off.client.metrics().automation(KITCHEN, "1h"), 404, "AUTOMATIONS_NOT_CONFIGURED");
  }

  @Test
  void badParametersAreRefusedNamingTheField() {
    MonitoringApiTest.assertInvalid(lab.client.metrics().vm("nas", 5, "1h"), "vmid");
    MonitoringApiTest.assertInvalid(lab.client.metrics().automation("-bad", "1h"), "name");
    MonitoringApiTest.assertInvalid(lab.client.metrics().server("nas", "2h"), "period");
    MonitoringApiTest.assertInvalid(
        lab.client.metrics().vm("nas", 100, MetricQuery.last(null, "1h").withMaxPoints(2)),
        "max_points");
    MonitoringApiTest.assertInvalid(
        lab.client
            .metrics()
            .automation(
                KITCHEN,
                MetricQuery.range(
                    null, java.time.Instant.now(), java.time.Instant.now().minusSeconds(60))),
        "to");
  }

  private static void assertError(Future<?> call, int status, String code) {
    Throwable failure = awaitFailure(call);
    assertThat(failure).isInstanceOf(HomelabHttpException.class);
    HomelabHttpException e = (HomelabHttpException) failure;
    assertThat(e.status()).as(e.getMessage()).isEqualTo(status);
    assertThat(e.errorCode()).isEqualTo(code);
  }
}
