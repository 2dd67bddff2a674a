package dev.homelab.server;

import static dev.homelab.core.testing.VertxTesting.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.homelab.client.HomelabClient;
import dev.homelab.client.HomelabForbiddenException;
import dev.homelab.client.HomelabHttpException;
import dev.homelab.client.HomelabNotFoundException;
import dev.homelab.client.HomelabValidationException;
import dev.homelab.client.audit.AuditEntry;
import dev.homelab.client.audit.AuditQuery;
import dev.homelab.client.proxmox.GuestList;
import dev.homelab.client.proxmox.GuestSummary;
import dev.homelab.client.proxmox.NodeStatus;
import dev.homelab.client.proxmox.ProxmoxServer;
import dev.homelab.client.proxmox.Task;
import dev.homelab.core.testing.BlockedThreadGuard;
import dev.homelab.core.testing.VertxTesting;
import dev.homelab.simulators.proxmox.ProxmoxSimulator;
import dev.homelab.simulators.proxmox.SimulatedGuest;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code /api/proxmox} through the SDK against a real server configured with two simulated Proxmox
 * servers over HTTPS with pinned certificates ({@code PROXMOX_SERVERS=nas,smart-home}).
 */
class ProxmoxApiTest {

  private static Vertx vertx;
  private static ProxmoxSimulator nas;
  private static ProxmoxSimulator pve;
  private static ServerTesting lab;
  private static Path dir;

  @BeforeAll
  static void start() throws Exception {
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
                            SimulatedGuest.lxc(103, "ubuntu", false),
                            SimulatedGuest.lxc(104, "pihole", true),
                            SimulatedGuest.qemu(106, "spare", false)))
                    .withHardware(12, 66_571_993_088L)
                    .withTaskDuration(Duration.ofMillis(300))));
    pve =
        await(
            ProxmoxSimulator.start(
                vertx,
                ProxmoxSimulator.Setup.of("pve", "9.0.6", ProxmoxSimulator.fixtureGuests())
                    .withHardware(4, 16_106_127_360L)
                    .withTaskDuration(Duration.ofMillis(300))));
    TestSecrets.remember(nas.setup().tokenSecret());
    TestSecrets.remember(pve.setup().tokenSecret());
    Map<String, String> settings = new HashMap<>();
    settings.put("PROXMOX_SERVERS", "nas,smart-home");
    put(settings, "NAS", "NAS Server", nas, "1");
    put(settings, "SMART_HOME", "Smart Home Server", pve, "2");
    dir = Files.createTempDirectory("proxmox-api");
    BlockedThreadGuard.ignoringReports(
        () -> {
          lab = ServerTesting.start(dir, settings);
          // The first TLS handshakes warm the JDK's TLS stack: not what is tested here.
          await(lab.client.proxmox().servers());
        });
  }

  /** The settings of one server id pointing at a simulator, its certificate pinned. */
  static void put(
      Map<String, String> settings, String id, String name, ProxmoxSimulator sim, String timeout) {
    settings.put("PROXMOX_" + id + "_URL", sim.baseUrl());
    settings.put("PROXMOX_" + id + "_NAME", name);
    settings.put("PROXMOX_" + id + "_TOKEN_ID", sim.setup().tokenId());
    settings.put("PROXMOX_" + id + "_TOKEN_SECRET", sim.setup().tokenSecret());
    settings.put("PROXMOX_" + id + "_FINGERPRINT", sim.fingerprint());
    settings.put("PROXMOX_" + id + "_TIMEOUT_SECONDS", timeout);
  }

  @AfterEach
  void clearFaults() {
    nas.clearFaults();
    pve.clearFaults();
  }

  @AfterAll
  static void stop() {
    if (lab != null) {
      lab.close();
    }
    await(vertx.close());
  }

  @Test
  void serversAreListedAndOneThatCannotBeReadIsOfflineWithNulls() {
    pve.reachability(ProxmoxSimulator.Reachability.UNREACHABLE);
    List<ProxmoxServer> servers = await(lab.client.proxmox().servers());
    assertThat(servers).extracting(ProxmoxServer::id).containsExactly("nas", "smart-home");
    ProxmoxServer online = servers.get(0);
    assertThat(online.online()).isTrue();
    assertThat(online.name()).isEqualTo("NAS Server");
    assertThat(online.ip()).isEqualTo("127.0.0.1");
    assertThat(online.version()).isEqualTo("8.3.2");
    assertThat(online.cpuCount()).isEqualTo(12);
    assertThat(online.memoryTotal()).isEqualTo(66_571_993_088L);
    ProxmoxServer offline = servers.get(1);
    assertThat(offline.online()).isFalse();
    assertThat(offline.version()).isNull();
    assertThat(offline.uptime()).isNull();
    assertThat(offline.cpuUsage()).isNull();
    assertThat(offline.memoryPercent()).isNull();
  }

  @Test
  void statusOfANode() {
    NodeStatus status = await(lab.client.proxmox().status("nas"));
    assertThat(status.serverId()).isEqualTo("nas");
    assertThat(status.node()).isEqualTo("nas");
    assertThat(status.status()).isEqualTo("online");
    assertThat(status.cpuCount()).isEqualTo(12);
    assertThat(status.memory().total()).isEqualTo(66_571_993_088L);
    assertThat(status.loadavg()).hasSize(3);
  }

  @Test
  void guestsAreMergedSortedAndCounted() {
    GuestList list = await(lab.client.proxmox().vms("nas"));
    assertThat(list.serverId()).isEqualTo("nas");
    assertThat(list.instances())
        .extracting(GuestSummary::vmid)
        .containsExactly(100L, 101L, 103L, 104L, 106L);
    assertThat(list.instances()).extracting(GuestSummary::type).contains("qemu", "lxc");
    assertThat(list.total()).isEqualTo(5);
    assertThat(list.vms()).isEqualTo(3);
    assertThat(list.containers()).isEqualTo(2);
    // Another test starts 101: count what the list shows rather than a fixed number.
    long running = list.instances().stream().filter(g -> g.status().equals("running")).count();
    assertThat(running).isBetween(2L, 3L);
    assertThat(list.running()).isEqualTo((int) running);
    assertThat(list.stopped()).isEqualTo(5 - (int) running);
    assertThat(await(lab.client.proxmox().vm("nas", 104)).type()).isEqualTo("lxc");
  }

  @Test
  void anAdminStartsAGuestFollowsItsTaskAndTheActionIsAudited() {
    assertThat(await(lab.client.proxmox().vm("nas", 101)).status()).isEqualTo("stopped");
    String upid = await(lab.client.proxmox().start("nas", 101));
    assertThat(upid).startsWith("UPID:nas:");
    Task done =
        await(
            lab.client
                .proxmox()
                .followTask("nas", upid, Duration.ofMillis(50), Duration.ofSeconds(10)));
    assertThat(done.ended()).isTrue();
    assertThat(done.status()).isEqualTo("stopped");
    assertThat(done.exitStatus()).isEqualTo("OK");
    assertThat(done.succeeded()).isTrue();
    assertThat(await(lab.client.proxmox().vm("nas", 101)).status()).isEqualTo("running");

    List<AuditEntry> entries =
        await(lab.client.audit().list(AuditQuery.create().withAction("proxmox.vm_start"))).items();
    assertThat(entries).hasSize(1);
    AuditEntry entry = entries.get(0);
    assertThat(entry.actor()).isEqualTo("admin");
    assertThat(entry.outcome()).isEqualTo("success");
    assertThat(entry.target()).isEqualTo("proxmox:nas/101");
    assertThat(entry.detail().getString("server_id")).isEqualTo("nas");
    assertThat(entry.detail().getLong("vmid")).isEqualTo(101L);
    assertThat(entry.detail().getString("upid")).isEqualTo(upid);

    Task read = await(lab.client.proxmox().task("nas", upid));
    assertThat(read.upid()).isEqualTo(upid);
    assertThat(read.serverId()).isEqualTo("nas");
  }

  @Test
  void aUserMayReadButNotStartAndNothingIsSent() {
    HomelabClient user = lab.newUser("proxmox-user", "user");
    assertThat(await(user.proxmox().vms("smart-home")).total()).isPositive();
    long posts = pve.requestCount(HttpMethod.POST, "/status/start");
    Throwable refused = failure(user.proxmox().start("smart-home", 100));
    assertThat(refused).isInstanceOf(HomelabForbiddenException.class);
    assertThat(pve.requestCount(HttpMethod.POST, "/status/start")).isEqualTo(posts);
    assertThat(failure(user.proxmox().stop("smart-home", 100)))
        .isInstanceOf(HomelabForbiddenException.class);
    assertThat(pve.requestCount(HttpMethod.POST, "/status/stop")).isZero();
  }

  @Test
  void aBadVmidOrUpidIs422AndAnUnknownServer404() {
    HomelabValidationException vmid =
        (HomelabValidationException) failure(lab.client.proxmox().vm("nas", 5));
    assertThat(vmid.status()).isEqualTo(422);
    assertThat(vmid.field()).isEqualTo("vmid");
    assertThat(
            ((HomelabValidationException) failure(lab.client.proxmox().start("nas", 99))).field())
        .isEqualTo("vmid");
    HomelabValidationException upid =
        (HomelabValidationException) failure(lab.client.proxmox().task("nas", "not-a-upid"));
    assertThat(upid.field()).isEqualTo("upid");
    assertThat(failure(lab.client.proxmox().vms("attic")))
        .isInstanceOf(HomelabNotFoundException.class);
    assertThat(failure(lab.client.proxmox().vm("attic", 101)))
        .isInstanceOf(HomelabNotFoundException.class);
  }

  @Test
  void aSlowServerIs504WithinItsTimeoutAndTheBodyNamesNeitherHostNorToken() {
    nas.delay(Duration.ofSeconds(3));
    long started = System.nanoTime();
    HomelabHttpException slow = (HomelabHttpException) failure(lab.client.proxmox().vms("nas"));
    long tookMs = (System.nanoTime() - started) / 1_000_000;
    assertThat(slow.status()).isEqualTo(504);
    assertThat(tookMs).isLessThan(1_000 + 250);
    assertThat(slow.body())
        .doesNotContain(nas.setup().tokenSecret())
        .doesNotContain(nas.setup().tokenId())
        .doesNotContain(String.valueOf(nas.port()))
        .doesNotContain("127.0.0.1")
        .doesNotContain("\tat ");
  }

  @Test
  void withNoServerConfiguredTheListIsEmptyAndEveryIdUnknown(
      @org.junit.jupiter.api.io.TempDir Path empty) {
    try (ServerTesting none = ServerTesting.start(empty)) {
      assertThat(await(none.client.proxmox().servers())).isEmpty();
      assertThat(failure(none.client.proxmox().vms("nas")))
          .isInstanceOf(HomelabNotFoundException.class);
      assertThat(failure(none.client.proxmox().start("nas", 101)))
          .isInstanceOf(HomelabNotFoundException.class);
    }
  }

  private static Throwable failure(Future<?> future) {
    await().atMost(Duration.ofSeconds(15)).until(() -> future.isComplete());
    assertThat(future.failed()).as("the call failed").isTrue();
    return future.cause();
  }
}
