package dev.homelab.server;

import static dev.homelab.core.testing.VertxTesting.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.homelab.client.HomelabClient;
import dev.homelab.client.HomelabHttpException;
import dev.homelab.client.system.DetailedHealth;
import dev.homelab.core.testing.BlockedThreadGuard;
import dev.homelab.core.testing.VertxTesting;
import dev.homelab.simulators.automation.AutomationSimulator;
import dev.homelab.simulators.frigate.FrigateSimulator;
import dev.homelab.simulators.frigate.FrigateSimulatorOptions;
import dev.homelab.simulators.proxmox.ProxmoxSimulator;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * {@code GET /api/health/detailed} through the client against a real server with two simulated
 * Proxmox servers, a simulated Frigate and automation API, and no AI hub; and a slow upstream's
 * route that delays no other upstream's. The breaker test opens Frigate's breaker for 30 s, so it
 * runs last.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DetailedHealthApiTest {

  private static final String AUTOMATION_PASSWORD = "automation-Pa55-" + System.nanoTime();
  private static final Duration WAIT = Duration.ofSeconds(20);

  private static Vertx vertx;
  private static ProxmoxSimulator nas;
  private static ProxmoxSimulator pve;
  private static FrigateSimulator frigate;
  private static AutomationSimulator automation;
  private static ServerTesting lab;

  @BeforeAll
  static void start() throws Exception {
    vertx = VertxTesting.vertx();
    nas =
        await(ProxmoxSimulator.start(vertx, ProxmoxSimulator.Setup.of("nas", "8.3.2", List.of())));
    pve =
        await(
            ProxmoxSimulator.start(
                vertx,
                ProxmoxSimulator.Setup.of("pve", "9.0.6", ProxmoxSimulator.fixtureGuests())));
    frigate =
        await(FrigateSimulator.start(vertx, new FrigateSimulatorOptions().setNewEventEvery(null)));
    automation =
        await(
            AutomationSimulator.start(
                vertx,
                AutomationSimulator.Setup.defaults()
                    .withCredentials("admin", AUTOMATION_PASSWORD)));
    TestSecrets.remember(nas.setup().tokenSecret());
    TestSecrets.remember(pve.setup().tokenSecret());
    TestSecrets.remember(AUTOMATION_PASSWORD);
    Map<String, String> settings = new HashMap<>();
    settings.put("PROXMOX_SERVERS", "nas,smart-home");
    ProxmoxApiTest.put(settings, "NAS", "NAS Server", nas, "2");
    ProxmoxApiTest.put(settings, "SMART_HOME", "Smart Home Server", pve, "1");
    settings.put("FRIGATE_URL", frigate.baseUrl());
    settings.put("FRIGATE_TIMEOUT_SECONDS", "2");
    settings.put("AUTOMATION_API_URL", automation.baseUrl());
    settings.put("AUTOMATION_API_USER", "admin");
    settings.put("AUTOMATION_API_PASSWORD", AUTOMATION_PASSWORD);
    settings.put("AUTOMATION_API_TIMEOUT_SECONDS", "2");
    // The metrics collectors would add their own requests to the faults and breakers tested here.
    settings.put("METRICS_INTERVAL_SERVERS", "0");
    settings.put("METRICS_INTERVAL_VMS", "0");
    settings.put("METRICS_INTERVAL_AUTOMATIONS", "0");
    java.nio.file.Path dir = Files.createTempDirectory("detailed-health");
    BlockedThreadGuard.ignoringReports(
        () -> {
          lab = ServerTesting.start(dir, settings);
          // The first TLS handshakes and the first connections to each upstream warm the JDK and
          // the clients: not what is tested here.
          await(lab.client.proxmox().servers());
          await(lab.client.system().detailedHealth());
        });
  }

  @AfterEach
  void clearFaults() {
    nas.clearFaults();
    pve.clearFaults();
    frigate.clearFaults();
    automation.clearFaults();
  }

  @AfterAll
  static void stop() {
    if (lab != null) {
      lab.close();
    }
    await(vertx.close());
  }

  @Test
  @Order(1)
  void everyConfiguredPartIsReportedByIdAndAnUnconfiguredOneSaysSo() {
    DetailedHealth health = await(lab.client.system().detailedHealth());
    assertThat(health.status()).isEqualTo("healthy");
    assertThat(health.checkedAt()).isNotNull();
    assertThat(health.database().kind()).isEqualTo("sqlite");
    assertThat(health.database().reachable()).isTrue();
    assertThat(health.database().latencyMs()).isNotNull().isNotNegative();
    assertThat(health.redis()).as("no REDIS_URL").isNull();
    assertThat(health.upstreams())
        .extracting(DetailedHealth.Upstream::kind, DetailedHealth.Upstream::id)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("proxmox", "nas"),
            org.assertj.core.groups.Tuple.tuple("proxmox", "smart-home"),
            org.assertj.core.groups.Tuple.tuple("frigate", null),
            org.assertj.core.groups.Tuple.tuple("automations", null),
            org.assertj.core.groups.Tuple.tuple("ai_hub", null));
    for (DetailedHealth.Upstream upstream : health.upstreams().subList(0, 4)) {
      assertThat(upstream.configured()).as(upstream.kind()).isTrue();
      assertThat(upstream.reachable()).as(upstream.kind()).isTrue();
      assertThat(upstream.latencyMs()).as(upstream.kind()).isNotNull().isNotNegative();
      assertThat(upstream.breaker()).as(upstream.kind()).isEqualTo("CLOSED");
      assertThat(upstream.error()).as(upstream.kind()).isNull();
    }
    assertThat(health.upstream("proxmox", "nas").name()).isEqualTo("proxmox nas");
    DetailedHealth.Upstream ai = health.upstream("ai_hub", null);
    assertThat(ai.configured()).isFalse();
    assertThat(ai.reachable()).isNull();
    assertThat(ai.breaker()).isNull();

    DetailedHealth blocking = lab.client.blocking().system().detailedHealth();
    assertThat(blocking.status()).isEqualTo("healthy");
    assertThat(blocking.upstreams()).hasSameSizeAs(health.upstreams());
  }

  @Test
  @Order(2)
  void itNeedsALoginAndAViewerMayReadIt() {
    assertThat(await(lab.web.get("/api/health/detailed").send()).statusCode()).isEqualTo(401);
    HomelabClient viewer = lab.newUser("health-viewer", "viewer");
    try {
      assertThat(await(viewer.system().detailedHealth()).upstreams()).hasSize(5);
    } finally {
      await(viewer.close());
    }
  }

  @Test
  @Order(3)
  void aSlowServerIsReportedUnreachableAtItsTimeoutWhileTheOthersAreFine() {
    // 3 s of delay against a 1 s timeout: the answer comes, but only after the probe gave up.
    pve.delay(Duration.ofSeconds(3));
    String body = await(lab.webAdmin.get("/api/health/detailed").send()).bodyAsString();
    DetailedHealth health = DetailedHealth.fromJson(new io.vertx.core.json.JsonObject(body));

    assertThat(health.status()).isEqualTo("degraded");
    DetailedHealth.Upstream slow = health.upstream("proxmox", "smart-home");
    assertThat(slow.reachable()).isFalse();
    assertThat(slow.latencyMs()).isNull();
    assertThat(slow.error()).isEqualTo("proxmox smart-home did not answer within 1 s");
    assertThat(health.upstream("proxmox", "nas").reachable()).isTrue();
    assertThat(health.upstream("frigate", null).reachable()).isTrue();
    assertThat(health.upstream("automations", null).reachable()).isTrue();
    assertThat(body)
        .doesNotContain(pve.setup().tokenSecret())
        .doesNotContain(pve.setup().tokenId())
        .doesNotContain(AUTOMATION_PASSWORD)
        .doesNotContain(String.valueOf(pve.port()))
        .doesNotContain(String.valueOf(frigate.port()))
        .doesNotContain(String.valueOf(automation.port()))
        .doesNotContain("127.0.0.1")
        .doesNotContain("\tat ");
  }

  @Test
  @Order(4)
  void aSlowFrigateDelaysNeitherProxmoxNorAutomationsAndAnswers504() {
    // Frigate answers after 4 s, its timeout is 2 s: its route answers 504 at 2 s; meanwhile the
    // other upstreams' routes answer as soon as their own upstreams do.
    frigate.delay(Duration.ofSeconds(4));
    Future<?> slow = lab.client.frigate().cameras();
    Future<Boolean> proxmoxWhileSlow =
        lab.client.proxmox().servers().map(servers -> slow.isComplete());
    Future<Boolean> automationsWhileSlow =
        lab.client.automations().list().map(list -> slow.isComplete());

    assertThat(await(proxmoxWhileSlow)).as("Frigate had answered before Proxmox").isFalse();
    assertThat(await(automationsWhileSlow)).as("Frigate had answered before automations").isFalse();
    Awaitility.await().atMost(WAIT).until(slow::isComplete);
    assertThat(slow.cause()).isInstanceOf(HomelabHttpException.class);
    assertThat(((HomelabHttpException) slow.cause()).status()).isEqualTo(504);
  }

  @Test
  @Order(5)
  void anOpenBreakerIsShownWhileItsUpstreamAnswersTheProbe() {
    // Five failures in a row open Frigate's breaker for 30 s; the probe goes around the breaker,
    // so Frigate is reachable with its breaker open.
    frigate.failNext(5);
    for (int i = 0; i < 5; i++) {
      Future<?> failed = lab.client.frigate().cameras();
      Awaitility.await().atMost(WAIT).until(failed::isComplete);
      assertThat(((HomelabHttpException) failed.cause()).status()).isEqualTo(502);
    }
    DetailedHealth health = await(lab.client.system().detailedHealth());
    DetailedHealth.Upstream open = health.upstream("frigate", null);
    assertThat(open.breaker()).isEqualTo("OPEN");
    assertThat(open.reachable()).isTrue();
    assertThat(health.status()).isEqualTo("degraded");
    assertThat(health.upstream("automations", null).breaker()).isEqualTo("CLOSED");
  }
}
