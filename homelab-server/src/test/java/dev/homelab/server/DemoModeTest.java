package dev.homelab.server;

import static dev.homelab.core.testing.VertxTesting.await;
import static dev.homelab.core.testing.VertxTesting.awaitFailure;
import static org.assertj.core.api.Assertions.assertThat;

import dev.homelab.client.automations.Automation;
import dev.homelab.client.events.EventSubscription;
import dev.homelab.client.frigate.FrigateCamera;
import dev.homelab.client.proxmox.GuestList;
import dev.homelab.client.proxmox.GuestSummary;
import dev.homelab.client.proxmox.ProxmoxServer;
import dev.homelab.client.proxmox.Task;
import dev.homelab.core.testing.BlockedThreadGuard;
import dev.homelab.core.testing.VertxTesting;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Demo mode ({@code ENABLE_MOCK_DATA=true}) through the client against a real server (issue 18,
 * acceptance 4): the server starts the simulators itself and its real clients reach them over HTTP
 * (HTTPS with pinned certificates for Proxmox) with their credentials, and it refuses to start when
 * a real upstream is configured as well.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class DemoModeTest {

  private static final Duration WAIT = Duration.ofSeconds(20);

  @TempDir static Path dir;

  static ServerTesting lab;

  @BeforeAll
  static void start() {
    BlockedThreadGuard.ignoringReports(
        () -> {
          lab = ServerTesting.startDemo(dir);
          // The first TLS handshakes warm the JDK's TLS stack: not what is tested here.
          await(lab.client.proxmox().servers());
        });
  }

  @AfterAll
  static void stop() {
    if (lab != null) {
      lab.close();
    }
  }

  @Test
  void bothProxmoxServersAreOnlineWithTheirGuests() {
    List<ProxmoxServer> servers = await(lab.client.proxmox().servers());
    assertThat(servers).extracting(ProxmoxServer::id).containsExactly("nas", "smart-home");
    assertThat(servers).allMatch(ProxmoxServer::online);
    assertThat(servers).extracting(ProxmoxServer::node).containsExactly("nas", "pve");
    assertThat(servers).extracting(ProxmoxServer::version).containsExactly("8.3.2", "9.0.6");
    assertThat(servers).allSatisfy(server -> assertThat(server.cpuUsage()).isNotNull());

    GuestList nas = await(lab.client.proxmox().vms("nas"));
    assertThat(nas.instances())
        .extracting(GuestSummary::vmid)
        .containsExactly(100L, 101L, 102L, 103L, 104L, 105L, 106L, 9000L);
    assertThat(nas.vms()).isEqualTo(5);
    assertThat(nas.containers()).isEqualTo(3);
    GuestList smartHome = await(lab.client.proxmox().vms("smart-home"));
    assertThat(smartHome.total()).isPositive();
    assertThat(smartHome.running()).isPositive();
  }

  @Test
  void aVmStartMovesThroughItsTaskToRunning() {
    assertThat(await(lab.client.proxmox().vm("nas", 101)).status()).isEqualTo("stopped");
    String upid = await(lab.client.proxmox().start("nas", 101));
    assertThat(upid).startsWith("UPID:nas:").contains(":qmstart:101:");

    // GET /api/proxmox/nas/tasks/{upid} until the task ends: the simulator's tasks take 1.5 s.
    List<Task> seen = new CopyOnWriteArrayList<>();
    Awaitility.await()
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(100))
        .until(
            () -> {
              Task task = await(lab.client.proxmox().task("nas", upid));
              seen.add(task);
              return task.ended();
            });
    List<String> states = new ArrayList<>();
    for (Task task : seen) {
      if (states.isEmpty() || !states.get(states.size() - 1).equals(task.status())) {
        states.add(task.status());
      }
    }
    assertThat(states).containsExactly("running", "stopped");
    Task done = seen.get(seen.size() - 1);
    assertThat(done.exitStatus()).isEqualTo("OK");
    assertThat(done.succeeded()).isTrue();
    assertThat(done.log()).contains("TASK OK");
    assertThat(await(lab.client.proxmox().vm("nas", 101)).status()).isEqualTo("running");
  }

  @Test
  void camerasWithASnapshot() throws Exception {
    List<FrigateCamera> cameras = await(lab.client.frigate().cameras());
    assertThat(cameras).isNotEmpty();
    Path picture = dir.resolve("snapshot.jpg");
    long written = await(lab.client.frigate().snapshotToFile(cameras.get(0).name(), 240, picture));
    byte[] jpeg = Files.readAllBytes(picture);
    assertThat(jpeg).hasSize((int) written);
    // A JPEG starts with SOI (FF D8) and ends with EOI (FF D9).
    assertThat(jpeg[0]).isEqualTo((byte) 0xFF);
    assertThat(jpeg[1]).isEqualTo((byte) 0xD8);
    assertThat(jpeg[jpeg.length - 2]).isEqualTo((byte) 0xFF);
    assertThat(jpeg[jpeg.length - 1]).isEqualTo((byte) 0xD9);
    assertThat(await(lab.client.frigate().events())).isNotEmpty();
  }

  @Test
  void automationsWithTheirLogs() {
    List<Automation> automations = await(lab.client.automations().list()).automations();
    assertThat(automations).extracting(Automation::automationName).contains("monitor");
    List<String> lines = new CopyOnWriteArrayList<>();
    EventSubscription logs = lab.client.automations().logs("monitor", lines::add);
    try {
      Awaitility.await().atMost(WAIT).until(() -> lines.size() >= 2);
    } finally {
      logs.close();
    }
    assertThat(lines).allMatch(line -> !line.isBlank());
  }

  @Test
  void theAiHubAnswers() {
    assertThat(await(lab.client.ai().processes())).isNotNull();
  }

  @Test
  void demoModeRefusesToReplaceAConfiguredUpstream() {
    ServerConfig both =
        ServerConfig.of(
            Map.of(
                "ENABLE_MOCK_DATA", "true",
                "FRIGATE_URL", "http://10.0.10.3:5000",
                "AUTOMATION_API_URL", "http://10.0.20.102:8080"));
    assertThat(both.problems())
        .containsExactly(
            "ENABLE_MOCK_DATA=true simulates every upstream, but FRIGATE_URL, AUTOMATION_API_URL"
                + " are set: remove them for demo mode, or set ENABLE_MOCK_DATA=false to use the"
                + " real upstreams");
    assertThat(
            ServerConfig.of(Map.of("ENABLE_MOCK_DATA", "true", "PROXMOX_SERVERS", "nas"))
                .problems())
        .anyMatch(problem -> problem.startsWith("ENABLE_MOCK_DATA=true simulates every upstream"));
    assertThat(awaitFailure(HomelabServer.start(lab.vertx, both, null)))
        .isInstanceOf(InvalidConfigException.class);
    assertThat(ServerConfig.of(Map.of("FRIGATE_URL", "http://10.0.10.3:5000")).demoMode())
        .isFalse();
    assertThat(ServerConfig.of(Map.of("ENABLE_MOCK_DATA", "yes")).problems())
        .containsExactly("ENABLE_MOCK_DATA must be one of false, true, got 'yes'");
  }

  @Test
  void theSimulatorsCloseWithTheServer(@TempDir Path own) {
    Vertx vertx = Vertx.vertx(VertxTesting.options());
    try {
      AtomicReference<HomelabServer> started = new AtomicReference<>();
      BlockedThreadGuard.ignoringReports(
          () ->
              started.set(
                  await(
                      HomelabServer.start(
                          vertx,
                          ServerConfig.of(
                              Map.of(
                                  "ENABLE_MOCK_DATA", "true",
                                  "PORT", "0",
                                  "DATA_DIR", own.toString(),
                                  "LOG_DIR", "")),
                          null))));
      HomelabServer server = started.get();
      List<URI> upstreams =
          server.demoUpstreams().configurationKeys().entrySet().stream()
              .filter(key -> key.getKey().endsWith("_URL"))
              .map(key -> URI.create(key.getValue()))
              .toList();
      assertThat(upstreams).hasSize(5);
      NetClient net = vertx.createNetClient();
      for (URI upstream : upstreams) {
        await(net.connect(upstream.getPort(), "127.0.0.1")).close();
      }
      await(server.shutdown(Duration.ofSeconds(2)));
      for (URI upstream : upstreams) {
        assertThat(awaitFailure(net.connect(upstream.getPort(), "127.0.0.1")))
            .as(upstream + " after the shutdown")
            .hasMessageContaining("Connection refused");
      }
    } finally {
      await(vertx.close());
    }
  }
}
