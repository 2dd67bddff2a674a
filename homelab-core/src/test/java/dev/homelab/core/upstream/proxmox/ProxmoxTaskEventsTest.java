package dev.homelab.core.upstream.proxmox;

import static dev.homelab.core.testing.VertxTesting.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.homelab.core.events.Event;
import dev.homelab.core.events.EventHub;
import dev.homelab.core.events.EventSubscription;
import dev.homelab.core.testing.BlockedThreadGuard;
import dev.homelab.core.testing.VertxTesting;
import dev.homelab.core.upstream.UpstreamTls;
import dev.homelab.simulators.proxmox.ProxmoxSimulator;
import dev.homelab.simulators.proxmox.SimulatedGuest;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link ProxmoxTaskEvents} against a simulated server whose tasks run 2 s: one follower per UPID,
 * a last event with a reason at the limit, and nothing more after {@link
 * ProxmoxTaskEvents#close()}.
 */
class ProxmoxTaskEventsTest {

  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final Duration POLL = Duration.ofMillis(100);

  private static Vertx vertx;
  private static ProxmoxSimulator nas;
  private static ProxmoxClient client;
  private EventHub hub;
  private EventSubscription subscription;
  private final List<JsonObject> published = new CopyOnWriteArrayList<>();

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
                            SimulatedGuest.qemu(101, "win11", false),
                            SimulatedGuest.qemu(102, "spare", false),
                            SimulatedGuest.qemu(103, "lab", false),
                            SimulatedGuest.qemu(104, "warm-up", false)))
                    .withTaskDuration(Duration.ofSeconds(2))));
    client =
        ProxmoxClient.create(
            vertx,
            List.of(
                ProxmoxServerOptions.of(
                        "nas",
                        "NAS",
                        nas.baseUrl(),
                        nas.setup().tokenId(),
                        nas.setup().tokenSecret())
                    .withTls(UpstreamTls.pinned(nas.fingerprint()))
                    .withTimeout(Duration.ofSeconds(20))));
    // The JVM's first TLS handshake and the first follow's class loading (slow on a busy disk) are
    // not this test's subject.
    BlockedThreadGuard.ignoringReports(
        () -> {
          await(client.servers());
          EventHub warmHub = EventHub.create(vertx);
          ProxmoxTaskEvents warm =
              new ProxmoxTaskEvents(client, warmHub, POLL, Duration.ofMillis(1));
          ProxmoxPower.Accepted accepted = started(104);
          warm.follow(accepted);
          Awaitility.await().atMost(WAIT).until(() -> warm.following() == 0);
          await(warmHub.close());
        });
  }

  @AfterAll
  static void stopSimulator() {
    client.close();
    await(vertx.close());
  }

  @BeforeEach
  void openHub() {
    hub = EventHub.create(vertx);
    subscription =
        hub.subscribe(Set.of(ProxmoxTaskEvents.TOPIC), (Event e) -> published.add(e.payload()));
  }

  @AfterEach
  void closeHub() {
    subscription.cancel();
    await(hub.close());
  }

  private static ProxmoxPower.Accepted started(long vmid) {
    String upid = await(client.start("nas", vmid));
    return new ProxmoxPower.Accepted("nas", vmid, ProxmoxPower.Action.START, upid);
  }

  private List<JsonObject> of(String upid) {
    return published.stream().filter(p -> upid.equals(p.getString("upid"))).toList();
  }

  @Test
  void aTaskIsFollowedOnceAndEachStatusPublishedOnce() {
    ProxmoxTaskEvents tasks = new ProxmoxTaskEvents(client, hub, POLL, WAIT);
    ProxmoxPower.Accepted accepted = started(101);
    assertThat(tasks.follow(accepted)).isTrue();
    assertThat(tasks.follow(accepted)).as("a second follower of one UPID").isFalse();
    assertThat(tasks.following()).isEqualTo(1);

    Awaitility.await().atMost(WAIT).until(() -> tasks.following() == 0);
    Awaitility.await().atMost(WAIT).until(() -> of(accepted.upid()).size() == 2);
    // About twenty polls saw it running; one event said so.
    List<JsonObject> events = of(accepted.upid());
    assertThat(events).extracting(p -> p.getString("status")).containsExactly("running", "stopped");
    assertThat(events).extracting(p -> p.getBoolean("following")).containsExactly(true, false);
    assertThat(events.get(1).getString("exit_status")).isEqualTo("OK");
    tasks.close();
  }

  @Test
  void aTaskStillRunningAtTheLimitGetsALastEventWithTheReason() {
    ProxmoxTaskEvents tasks = new ProxmoxTaskEvents(client, hub, POLL, Duration.ofMillis(300));
    ProxmoxPower.Accepted accepted = started(102);
    assertThat(tasks.follow(accepted)).isTrue();

    Awaitility.await()
        .atMost(WAIT)
        .until(() -> of(accepted.upid()).stream().anyMatch(p -> !p.getBoolean("following")));
    JsonObject last = of(accepted.upid()).get(of(accepted.upid()).size() - 1);
    assertThat(last.getString("status")).isEqualTo("running");
    assertThat(last.getBoolean("ended")).isFalse();
    assertThat(last.getString("reason")).isEqualTo("followed for the longest time allowed");
    assertThat(tasks.following()).isZero();
    tasks.close();
  }

  @Test
  void closeStopsEveryFollowerAndNothingMoreIsPublished() {
    ProxmoxTaskEvents tasks = new ProxmoxTaskEvents(client, hub, POLL, WAIT);
    ProxmoxPower.Accepted accepted = started(103);
    assertThat(tasks.follow(accepted)).isTrue();
    Awaitility.await().atMost(WAIT).until(() -> of(accepted.upid()).size() == 1);

    tasks.close();
    Awaitility.await().atMost(WAIT).until(() -> tasks.following() == 0);
    assertThat(tasks.follow(started(101))).as("following after close").isFalse();
    // The task ends 2 s after its start (the guest runs then); a follower still polling every
    // 0.1 s would publish that end.
    Awaitility.await().atMost(WAIT).until(() -> "running".equals(nas.guestStatus(103)));
    assertThat(await(client.task("nas", accepted.upid())).ended()).isTrue();
    // Three more poll intervals after the end: a follower still polling would have published it.
    Awaitility.await()
        .during(POLL.multipliedBy(3))
        .atMost(WAIT)
        .until(() -> of(accepted.upid()).size() == 1);
    assertThat(of(accepted.upid()))
        .singleElement()
        .satisfies(p -> assertThat(p.getString("status")).isEqualTo("running"));
  }
}
