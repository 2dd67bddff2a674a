package dev.homelab.core.upstream.proxmox;

import static dev.homelab.core.testing.VertxTesting.await;
import static dev.homelab.core.testing.VertxTesting.awaitFailure;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.homelab.core.ErrorKind;
import dev.homelab.core.NotFoundException;
import dev.homelab.core.ValidationException;
import dev.homelab.core.testing.BlockedThreadGuard;
import dev.homelab.core.testing.VertxTesting;
import dev.homelab.core.upstream.UpstreamException;
import dev.homelab.core.upstream.UpstreamStatus;
import dev.homelab.core.upstream.UpstreamTls;
import dev.homelab.simulators.proxmox.ProxmoxSimulator;
import dev.homelab.simulators.proxmox.SimulatedGuest;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link ProxmoxClient} against two simulated Proxmox servers over HTTPS with pinned certificates:
 * {@code nas} (PVE 8.3, errors in the body too) and {@code pve} (PVE 9, the recorded guests).
 * Guests really start through tasks; faults are switched on per test and off after it.
 */
class ProxmoxClientTest {

  private static final String FAILURE = "start failed: QEMU exited with code 1";

  private static Vertx vertx;
  private static ProxmoxSimulator nas;
  private static ProxmoxSimulator pve;
  private ProxmoxClient client;

  @BeforeAll
  static void startSimulators() {
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
                            SimulatedGuest.qemu(102, "broken", false).failingStart(FAILURE),
                            SimulatedGuest.lxc(103, "ubuntu", false),
                            SimulatedGuest.lxc(104, "pihole", true),
                            SimulatedGuest.lxc(105, "media", false).warningOnStart(1),
                            SimulatedGuest.qemu(106, "spare", false)))
                    .withHardware(12, 66_571_993_088L)
                    // Long enough that the first poll, right after the start, sees it running.
                    .withTaskDuration(Duration.ofMillis(800))));
    pve =
        await(
            ProxmoxSimulator.start(
                vertx,
                ProxmoxSimulator.Setup.of("pve", "9.0.6", ProxmoxSimulator.fixtureGuests())
                    .withHardware(4, 16_106_127_360L)
                    .withTaskDuration(Duration.ofMillis(800))));
    // The JVM's first TLS handshakes initialise its TLS stack on the event loop: not this test's
    // subject, so they are made here, outside the blocked-thread check.
    BlockedThreadGuard.ignoringReports(
        () -> {
          try (ProxmoxClient warm =
              ProxmoxClient.create(
                  vertx,
                  List.of(
                      options(nas).withTimeout(Duration.ofSeconds(20)),
                      options(pve).withTimeout(Duration.ofSeconds(20))))) {
            await(warm.servers());
          }
        });
  }

  @AfterEach
  void clearFaults() {
    if (client != null) {
      client.close();
    }
    nas.clearFaults();
    pve.clearFaults();
  }

  @AfterAll
  static void stopSimulators() {
    await(vertx.close());
  }

  private static ProxmoxServerOptions options(ProxmoxSimulator simulator) {
    String node = simulator.setup().node();
    return ProxmoxServerOptions.of(
            node.equals("nas") ? "nas" : "smart-home",
            node.equals("nas") ? "NAS Server" : "Smart Home Server",
            simulator.baseUrl(),
            simulator.setup().tokenId(),
            simulator.setup().tokenSecret())
        .withTls(UpstreamTls.pinned(simulator.fingerprint()));
  }

  private ProxmoxClient client(ProxmoxServerOptions... servers) {
    client = ProxmoxClient.create(vertx, List.of(servers));
    return client;
  }

  private static UpstreamException upstream(Throwable failure) {
    assertThat(failure).isInstanceOf(UpstreamException.class);
    return (UpstreamException) failure;
  }

  private static int freePort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  @Test
  void serversAreReadInParallelAndOneThatCannotBeReadIsOfflineWithNulls() throws Exception {
    ProxmoxServerOptions gone =
        ProxmoxServerOptions.of(
                "gone",
                "Gone",
                "https://127.0.0.1:" + freePort(),
                "root@pam!homelab",
                "00000000-0000-0000-0000-000000000000")
            .withTls(UpstreamTls.pinned(nas.fingerprint()));
    client(options(nas), options(pve), gone);
    pve.reachability(ProxmoxSimulator.Reachability.OFFLINE);

    List<ProxmoxServer> servers = await(client.servers());
    assertThat(servers).extracting(ProxmoxServer::id).containsExactly("nas", "smart-home", "gone");
    ProxmoxServer online = servers.get(0);
    assertThat(online.online()).isTrue();
    assertThat(online.name()).isEqualTo("NAS Server");
    assertThat(online.ip()).isEqualTo("127.0.0.1");
    assertThat(online.node()).isEqualTo("nas"); // discovered by the pinned fingerprint
    assertThat(online.version()).isEqualTo("8.3.2");
    assertThat(online.cpuCount()).isEqualTo(12);
    assertThat(online.memoryTotal()).isEqualTo(66_571_993_088L);
    assertThat(online.memoryUsed()).isPositive();
    assertThat(online.memoryPercent()).isBetween(0.0, 100.0);
    assertThat(online.cpuUsage()).isBetween(0.0, 1.0);
    assertThat(online.uptime()).isPositive();
    for (ProxmoxServer offline : servers.subList(1, 3)) {
      assertThat(offline.online()).isFalse();
      assertThat(offline.version()).isNull();
      assertThat(offline.uptime()).isNull();
      assertThat(offline.cpuCount()).isNull();
      assertThat(offline.cpuUsage()).isNull();
      assertThat(offline.memoryTotal()).isNull();
      assertThat(offline.memoryUsed()).isNull();
      assertThat(offline.memoryPercent()).isNull();
    }
    assertThat(servers.get(1).node()).isEqualTo("pve"); // /nodes answered, its status did not
    assertThat(servers.get(2).node()).isNull();

    pve.clearFaults();
    ProxmoxServer back = await(client.servers()).get(1);
    assertThat(back.online()).isTrue();
    assertThat(back.version()).isEqualTo("9.0.6");
    assertThat(back.cpuCount()).isEqualTo(4);

    UpstreamStatus probe = await(client.probe("nas"));
    assertThat(probe.reachable()).isTrue();
    assertThat(probe.name()).isEqualTo("proxmox nas");
    assertThat(probe.breaker()).isEqualTo("CLOSED");
    assertThat(await(client.probe("gone")).reachable()).isFalse();
  }

  @Test
  void guestsAreMergedSortedAndCountedAndOneIsFoundWhateverItsType() {
    client(options(nas), options(pve));
    GuestList list = await(client.guests("smart-home"));
    assertThat(list.serverId()).isEqualTo("smart-home");
    assertThat(list.guests())
        .extracting(Guest::vmid)
        .containsExactly(100L, 101L, 102L, 105L, 106L, 200L);
    assertThat(list.total()).isEqualTo(6);
    assertThat(list.running()).isEqualTo(3);
    assertThat(list.stopped()).isEqualTo(3);
    assertThat(list.vms()).isEqualTo(4);
    assertThat(list.containers()).isEqualTo(2);
    assertThat(list.vmsRunning()).isEqualTo(1);
    assertThat(list.containersRunning()).isEqualTo(2);
    Guest template = list.guests().get(1);
    assertThat(template.template()).isTrue();
    assertThat(template.name()).isEqualTo("leap154");
    assertThat(list.guests().get(3).type()).isEqualTo(GuestType.LXC);

    // A fresh client does not know 104's type: it finds it in the indexes.
    client.close();
    client(options(nas));
    Guest pihole = await(client.guest("nas", 104));
    assertThat(pihole.type()).isEqualTo(GuestType.LXC);
    assertThat(pihole.name()).isEqualTo("pihole");
    assertThat(pihole.running()).isTrue();
    assertThat(pihole.node()).isEqualTo("nas");
    assertThat(pihole.pid()).isNotNull();
    long lookups = nas.requestCount(HttpMethod.GET, "/status/current");
    assertThat(await(client.guest("nas", 100)).type()).isEqualTo(GuestType.QEMU);
    assertThat(nas.requestCount(HttpMethod.GET, "/status/current")).isEqualTo(lookups + 1);
  }

  @Test
  void aStartedVmRunsOnceItsTaskEndedAndTheFollowerSawItRunFirst() {
    client(options(nas));
    long posts = nas.requestCount(HttpMethod.POST, "/qemu/101/status/start");
    String upid = await(client.start("nas", 101));
    Upid parsed = Upid.parse(upid);
    assertThat(parsed.node()).isEqualTo("nas");
    assertThat(parsed.type()).isEqualTo("qmstart");
    assertThat(parsed.id()).isEqualTo("101");
    assertThat(parsed.user()).isEqualTo("root@pam!homelab");

    List<TaskState> seen = new CopyOnWriteArrayList<>();
    TaskState done =
        await(
            client.followTask(
                "nas", upid, Duration.ofMillis(50), Duration.ofSeconds(15), seen::add));
    assertThat(seen.get(0).status()).isEqualTo("running");
    assertThat(seen.get(0).ended()).isFalse();
    assertThat(seen.get(seen.size() - 1)).isEqualTo(done);
    assertThat(done.ended()).isTrue();
    assertThat(done.succeeded()).isTrue();
    assertThat(done.exitStatus()).isEqualTo("OK");
    assertThat(done.log()).last().isEqualTo("TASK OK");
    assertThat(await(client.guest("nas", 101)).running()).isTrue();
    assertThat(nas.requestCount(HttpMethod.POST, "/qemu/101/status/start")).isEqualTo(posts + 1);
  }

  @Test
  void aFailingStartEndsWithItsErrorAndAStartWithWarningsSucceeds() {
    client(options(nas));
    TaskState failed =
        await(
            client
                .start("nas", 102)
                .compose(
                    upid ->
                        client.followTask(
                            "nas", upid, Duration.ofMillis(50), Duration.ofSeconds(15), null)));
    assertThat(failed.failed()).isTrue();
    assertThat(failed.exitStatus()).isEqualTo(FAILURE);
    assertThat(failed.log()).last().isEqualTo("TASK ERROR: " + FAILURE);
    assertThat(await(client.guest("nas", 102)).running()).isFalse();

    TaskState warned =
        await(
            client
                .start("nas", 105)
                .compose(
                    upid ->
                        client.followTask(
                            "nas", upid, Duration.ofMillis(50), Duration.ofSeconds(15), null)));
    assertThat(warned.succeeded()).isTrue();
    assertThat(warned.warnings()).isEqualTo(1);
    assertThat(warned.exitStatus()).isEqualTo("WARNINGS: 1");
    assertThat(await(client.task("nas", warned.upid())).log()).contains("TASK WARNINGS: 1");
    assertThat(await(client.guest("nas", 105)).running()).isTrue();
  }

  @Test
  void anUnknownVmidIsProxmoxsOwnErrorAnd596IsUnavailable() {
    client(options(nas));
    UpstreamException unknown = upstream(awaitFailure(client.guest("nas", 999)));
    assertThat(unknown.kind()).isEqualTo(ErrorKind.UPSTREAM_ERROR);
    assertThat(unknown.upstreamStatus()).isEqualTo(500);
    assertThat(unknown.getMessage())
        .isEqualTo(
            "proxmox nas answered 500: Configuration file 'nodes/nas/qemu-server/999.conf' does"
                + " not exist");

    nas.reachability(ProxmoxSimulator.Reachability.UNREACHABLE);
    UpstreamException unreachable = upstream(awaitFailure(client.nodeStatus("nas")));
    assertThat(unreachable.kind()).isEqualTo(ErrorKind.UPSTREAM_UNAVAILABLE);
    assertThat(unreachable.getMessage())
        .startsWith("proxmox nas is unavailable: Errors during TLS negotiation")
        .endsWith("Connection timed out");
  }

  @Test
  void aSlowServerTimesOutWithinItsTimeout() {
    Duration timeout = Duration.ofMillis(300);
    client(options(nas).withNode("nas").withTimeout(timeout));
    await(client.nodeStatus("nas")); // connects: the handshake is not what is timed
    nas.delay(Duration.ofSeconds(3));
    long started = System.nanoTime();
    Throwable failure = awaitFailure(client.nodeStatus("nas"));
    long millis = (System.nanoTime() - started) / 1_000_000;
    UpstreamException slow = upstream(failure);
    assertThat(slow.kind()).isEqualTo(ErrorKind.UPSTREAM_TIMEOUT);
    assertThat(slow.getMessage()).isEqualTo("proxmox nas did not answer within 300 ms");
    assertThat(millis).isLessThan(timeout.toMillis() + 250);
  }

  @Test
  void aWrongTokenIsUpstreamError401AndNoSecretIsEverShown() {
    String secret = "11111111-2222-3333-4444-555555555555";
    ProxmoxServerOptions wrong =
        ProxmoxServerOptions.of("nas", "NAS Server", nas.baseUrl(), nas.setup().tokenId(), secret)
            .withTls(UpstreamTls.pinned(nas.fingerprint()));
    client(wrong);
    UpstreamException refused = upstream(awaitFailure(client.guests("nas")));
    assertThat(refused.kind()).isEqualTo(ErrorKind.UPSTREAM_ERROR);
    assertThat(refused.upstreamStatus()).isEqualTo(401);
    assertThat(refused.getMessage())
        .isEqualTo("proxmox nas answered 401: Authentication failed!")
        .doesNotContain(secret);
    assertThat(wrong.toString()).doesNotContain(secret).contains("[hidden]");
    assertThat(options(nas).toString()).doesNotContain(nas.setup().tokenSecret());
    assertThat(client.configured().toString()).doesNotContain(secret);

    String spaced = "secret with spaces";
    assertThatThrownBy(
            () ->
                ProxmoxServerOptions.of("nas", "NAS", nas.baseUrl(), nas.setup().tokenId(), spaced))
        .isInstanceOfSatisfying(
            ValidationException.class,
            e -> {
              assertThat(e.field()).isEqualTo("token_secret");
              assertThat(e.getMessage()).doesNotContain(spaced);
            });
  }

  @Test
  void pathParametersAndOptionsAreCheckedBeforeAnythingIsSent() {
    client(options(nas));
    int before = nas.requests().size();
    for (Future<?> call :
        List.of(
            client.guest("nas", 99),
            client.start("nas", 1_000_000_000L),
            client.rrd("nas", 42, Timeframe.HOUR))) {
      assertThat(awaitFailure(call))
          .isInstanceOfSatisfying(
              ValidationException.class, e -> assertThat(e.field()).isEqualTo("vmid"));
    }
    for (String upid :
        List.of(
            "nope",
            "UPID:../..:00000001:00000001:00000001:qmstart:100:root@pam:",
            "UPID:nas:1:2:3:qmstart:100:root@pam:")) {
      assertThat(awaitFailure(client.task("nas", upid)))
          .isInstanceOfSatisfying(
              ValidationException.class, e -> assertThat(e.field()).isEqualTo("upid"));
    }
    assertThat(awaitFailure(client.guests("../nas"))).isInstanceOf(NotFoundException.class);
    assertThat(awaitFailure(client.guests("other")).getMessage())
        .isEqualTo("no Proxmox server other");
    assertThat(nas.requests()).hasSize(before);

    record Bad(String field, Runnable make) {}
    String url = nas.baseUrl();
    String token = "root@pam!homelab";
    for (Bad bad :
        List.of(
            new Bad("id", () -> ProxmoxServerOptions.of("NAS", "n", url, token, "s")),
            new Bad("name", () -> ProxmoxServerOptions.of("nas", " ", url, token, "s")),
            new Bad(
                "base_url",
                () -> ProxmoxServerOptions.of("nas", "n", "http://10.0.10.10:8006", token, "s")),
            new Bad(
                "base_url",
                () -> ProxmoxServerOptions.of("nas", "n", url + "/other/path", token, "s")),
            new Bad("token_id", () -> ProxmoxServerOptions.of("nas", "n", url, "root", "s")),
            new Bad(
                "node",
                () -> ProxmoxServerOptions.of("nas", "n", url, token, "s").withNode("../x")),
            new Bad(
                "timeout",
                () ->
                    ProxmoxServerOptions.of("nas", "n", url, token, "s")
                        .withTimeout(Duration.ZERO)))) {
      assertThatThrownBy(bad.make()::run)
          .isInstanceOfSatisfying(
              ValidationException.class, e -> assertThat(e.field()).isEqualTo(bad.field()));
    }
    assertThatThrownBy(() -> ProxmoxClient.create(vertx, List.of(options(nas), options(nas))))
        .isInstanceOfSatisfying(
            ValidationException.class, e -> assertThat(e.field()).isEqualTo("servers"));
  }

  @Test
  void anActionIsSentExactlyOnceEvenWhenItFailsWithA5xx() {
    client(options(nas));
    await(client.guests("nas")); // learns the types, so that the next request is the action
    long before = nas.requestCount(HttpMethod.POST, "/qemu/100/status/stop");
    nas.failNext(1);
    UpstreamException failed = upstream(awaitFailure(client.stop("nas", 100)));
    assertThat(failed.upstreamStatus()).isEqualTo(500);
    assertThat(failed.getMessage()).isEqualTo("proxmox nas answered 500: simulated failure");
    assertThat(nas.requestCount(HttpMethod.POST, "/qemu/100/status/stop")).isEqualTo(before + 1);
    assertThat(nas.guestStatus(100)).isEqualTo("running");
  }

  @Test
  void backgroundReadsAreRetriedAndUserReadsAreNot() {
    client(options(pve).withNode("pve"));
    pve.failNext(1);
    assertThat(upstream(awaitFailure(client.nodeStatus("smart-home"))).upstreamStatus())
        .isEqualTo(500);
    long before = pve.requestCount(HttpMethod.GET, "/nodes/pve/status");
    pve.failNext(1);
    NodeStatus status = await(client.background().nodeStatus("smart-home"));
    assertThat(status.node()).isEqualTo("pve");
    assertThat(status.version()).isEqualTo("9.0.6");
    assertThat(status.cpuCount()).isEqualTo(4);
    assertThat(status.memory().total()).isEqualTo(16_106_127_360L);
    assertThat(status.loadavg()).hasSize(3);
    assertThat(pve.requestCount(HttpMethod.GET, "/nodes/pve/status")).isEqualTo(before + 2);
  }

  @Test
  void rrdHistoryOfTheNodeAndOfAGuest() {
    client(options(nas), options(pve));
    List<RrdPoint> node = await(client.rrd("smart-home", Timeframe.parse("hour")));
    assertThat(node).hasSize(70);
    assertThat(node.get(0).time()).isBefore(node.get(69).time());
    assertThat(node.get(69).value("cpu")).isBetween(0.0, 1.0);
    assertThat(node.get(69).value("memtotal")).isEqualTo(16_106_127_360.0);
    assertThat(node.get(69).value("memavailable")).isNotNull(); // a PVE 9 column

    assertThat(await(client.rrd("nas", Timeframe.DAY)).get(0).value("memavailable")).isNull();
    List<RrdPoint> running = await(client.rrd("nas", 104, Timeframe.WEEK));
    assertThat(running.get(0).value("cpu")).isNotNull();
    List<RrdPoint> stopped = await(client.background().rrd("nas", 103, Timeframe.MONTH));
    assertThat(stopped.get(0).value("cpu")).isNull();
    assertThat(stopped.get(0).value("maxmem")).isEqualTo((double) (512L << 20));
    assertThatThrownBy(() -> Timeframe.parse("decade"))
        .isInstanceOfSatisfying(
            ValidationException.class, e -> assertThat(e.field()).isEqualTo("timeframe"));
  }

  @Test
  void aGarbledOrResetAnswerIsUnavailable() {
    client(options(nas).withNode("nas"));
    nas.garbage(true);
    UpstreamException garbled = upstream(awaitFailure(client.nodeStatus("nas")));
    assertThat(garbled.kind()).isEqualTo(ErrorKind.UPSTREAM_UNAVAILABLE);
    assertThat(garbled.getMessage())
        .isEqualTo("proxmox nas is unavailable: malformed answer (not a JSON object)");
    nas.clearFaults();
    nas.resetConnections(true);
    UpstreamException reset = upstream(awaitFailure(client.guests("nas")));
    assertThat(reset.kind()).isEqualTo(ErrorKind.UPSTREAM_UNAVAILABLE);
    nas.clearFaults();
    assertThat(await(client.guests("nas")).total()).isEqualTo(7);
  }

  @Test
  void aFollowThatOutlivesItsLimitEndsWithTheLastStateStillRunning() {
    client(options(nas));
    String upid = await(client.start("nas", 106));
    TaskState last =
        await(client.followTask("nas", upid, Duration.ofMillis(20), Duration.ZERO, null));
    assertThat(last.ended()).isFalse();
    assertThat(last.status()).isEqualTo("running");
    assertThat(last.exitStatus()).isNull();
    TaskState done = await(client.followTask("nas", upid, null));
    assertThat(done.succeeded()).isTrue();
    assertThat(await(client.guest("nas", 106)).running()).isTrue();
  }

  @Test
  void readsFromManyContextsAllSucceed() {
    // Each call from this thread gets a new context on the next event loop, while a pooled
    // connection stays on the loop that opened it: the case that once lost a response's end now
    // and then (see UpstreamHttp.onContext). Fresh clients, so that fresh connections are shared.
    for (int round = 0; round < 30; round++) {
      try (ProxmoxClient fresh =
          ProxmoxClient.create(vertx, List.of(options(nas).withNode("nas")))) {
        for (int i = 0; i < 15; i++) {
          assertThat(await(fresh.guest("nas", 100)).name()).isEqualTo("vpn-hub");
        }
      }
    }
  }
}
