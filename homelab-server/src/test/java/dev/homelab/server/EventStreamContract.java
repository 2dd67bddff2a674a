package dev.homelab.server;

import static dev.homelab.core.testing.VertxTesting.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.homelab.client.HomelabClient;
import dev.homelab.client.HomelabClientOptions;
import dev.homelab.client.HomelabForbiddenException;
import dev.homelab.client.HomelabRateLimitedException;
import dev.homelab.client.HomelabUnauthorizedException;
import dev.homelab.client.events.EventListener;
import dev.homelab.client.events.EventSubscription;
import dev.homelab.client.events.StreamEvent;
import dev.homelab.client.identity.UserPatch;
import dev.homelab.core.events.EventHub;
import dev.homelab.core.events.Visibility;
import dev.homelab.core.testing.BlockedThreadGuard;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The event stream through the client against a real server, for each transport (Server-Sent Events
 * and WebSocket): ids and topics, per-user filtering, resuming after a disconnection that outlasts
 * several reconnection attempts with nothing missed or repeated, the reset when too much was
 * missed, and a client that reads nothing being dropped while another keeps up.
 */
@ExtendWith(BlockedThreadGuard.class)
abstract class EventStreamContract {

  /**
   * @param client the client
   * @param topics the topics
   * @param lastEventId where to resume, or {@code null}
   * @param listener the listener
   * @return a subscription over this transport
   */
  abstract EventSubscription subscribe(
      HomelabClient client, Set<String> topics, String lastEventId, EventListener listener);

  /**
   * @param topics the topics
   * @param bearer the credential
   * @return the raw request that opens a stream over this transport
   */
  abstract String rawRequest(String topics, String bearer);

  EventSubscription subscribe(HomelabClient client, Set<String> topics, EventListener listener) {
    return subscribe(client, topics, null, listener);
  }

  @TempDir static Path dir;
  static ServerTesting lab;
  static EventHub hub;

  @BeforeAll
  static void start() {
    // Each transport's class starts its own server.
    lab =
        ServerTesting.start(
            dir,
            Map.of(
                "METRICS_INTERVAL_HOST", "0",
                "EVENTS_REPLAY_SIZE", "200",
                "EVENTS_MAX_PER_USER", "4"));
    hub = lab.server.events();
  }

  @AfterAll
  static void stop() {
    lab.close();
  }

  /** Records what a subscription delivers. */
  static final class Recorder implements EventListener {
    final List<StreamEvent> events = new CopyOnWriteArrayList<>();
    final AtomicInteger opens = new AtomicInteger();
    final AtomicInteger resets = new AtomicInteger();
    final List<Throwable> failures = new CopyOnWriteArrayList<>();
    final List<Throwable> reconnects = new CopyOnWriteArrayList<>();

    @Override
    public void onReconnecting(Throwable cause, long delayMillis) {
      reconnects.add(cause);
    }

    @Override
    public void onOpen() {
      opens.incrementAndGet();
    }

    @Override
    public void onEvent(StreamEvent event) {
      events.add(event);
    }

    @Override
    public void onReset(String lastEventId) {
      resets.incrementAndGet();
    }

    @Override
    public void onFailure(Throwable failure) {
      failures.add(failure);
    }

    List<Integer> numbers() {
      return events.stream().map(e -> e.payload().getInteger("n")).toList();
    }
  }

  static void waitUntil(BooleanSupplier condition, long millis) {
    Awaitility.await()
        .atMost(Duration.ofMillis(millis))
        .pollInterval(Duration.ofMillis(20))
        .until(condition::getAsBoolean);
  }

  static void publish(String topic, int from, int to) {
    for (int n = from; n < to; n++) {
      await(hub.publish(topic, new JsonObject().put("n", n)));
    }
  }

  @Test
  void eventsCarryIdsTopicsAndOnlyWhatTheCallerMaySee() throws InterruptedException {
    HomelabClient viewer = lab.newUser("stream-viewer", "viewer");
    Recorder mine = new Recorder();
    Recorder admins = new Recorder();
    EventSubscription a = subscribe(viewer, Set.of("test.visible"), mine);
    EventSubscription b = subscribe(lab.client, Set.of("test.visible"), admins);
    waitUntil(() -> mine.opens.get() == 1 && admins.opens.get() == 1, 5_000);
    await(hub.publish("test.visible", new JsonObject().put("n", 1)));
    await(hub.publish("test.visible", new JsonObject().put("n", 2), Visibility.role("admin")));
    await(hub.publish("test.other", new JsonObject().put("n", 3)));
    await(
        hub.publish(
            "test.visible", new JsonObject().put("n", 4), Visibility.owner("someone-else")));
    await(hub.publish("test.visible", new JsonObject().put("n", 5)));
    waitUntil(() -> admins.events.size() == 4 && mine.events.size() == 2, 5_000);
    assertThat(mine.numbers()).containsExactly(1, 5);
    assertThat(admins.numbers()).containsExactly(1, 2, 4, 5);
    assertThat(admins.events).allMatch(e -> e.topic().equals("test.visible"));
    assertThat(Long.parseLong(admins.events.get(3).id()))
        .isGreaterThan(Long.parseLong(admins.events.get(0).id()));
    assertThat(admins.events.get(0).timestamp()).isNotNull();
    await(a.close());
    await(b.close());
  }

  @Test
  void aClientCutOffForManyReconnectionsGetsEveryMissedEventInOrderOnce() throws Exception {
    Vertx vertx = lab.vertx;
    // The client goes through a proxy the test can cut, as a flaky Wi-Fi would.
    AtomicBoolean cut = new AtomicBoolean();
    List<NetSocket> open = new CopyOnWriteArrayList<>();
    NetServer proxy =
        vertx
            .createNetServer()
            .connectHandler(
                in -> {
                  if (cut.get()) {
                    in.close();
                    return;
                  }
                  in.pause();
                  vertx
                      .createNetClient()
                      .connect(lab.server.port(), "127.0.0.1")
                      .onSuccess(
                          out -> {
                            open.add(in);
                            open.add(out);
                            in.handler(out::write);
                            out.handler(in::write);
                            in.closeHandler(v -> out.close());
                            out.closeHandler(v -> in.close());
                            in.resume();
                          })
                      .onFailure(e -> in.close());
                });
    await(proxy.listen(0, "127.0.0.1"));
    HomelabClient client =
        HomelabClient.create(
            vertx,
            ServerTesting.quickReconnects(new HomelabClientOptions())
                .setBaseUrl("http://127.0.0.1:" + proxy.actualPort())
                .setToken(lab.adminJwt));
    Recorder recorder = new Recorder();
    EventSubscription subscription = subscribe(client, Set.of("test.resume"), recorder);
    try {
      waitUntil(() -> recorder.opens.get() == 1, 5_000);
      publish("test.resume", 0, 20);
      waitUntil(() -> recorder.events.size() == 20, 5_000);

      cut.set(true);
      open.forEach(NetSocket::close);
      // Offline through ten failed reconnection attempts, while 150 events are published.
      int attempts = recorder.reconnects.size();
      for (int i = 0; i < 10; i++) {
        publish("test.resume", 20 + i * 15, 35 + i * 15);
        int before = attempts + i + 1;
        waitUntil(() -> recorder.reconnects.size() > before, 10_000);
      }
      assertThat(recorder.events).hasSize(20);
      cut.set(false);
      waitUntil(() -> recorder.events.size() >= 170, 10_000);
      publish("test.resume", 170, 175);
      // The last event is the signal that all before it came: none may come twice.
      waitUntil(() -> recorder.numbers().contains(174), 5_000);
      assertThat(recorder.opens.get()).isGreaterThanOrEqualTo(2);
      assertThat(recorder.resets).hasValue(0);
      assertThat(recorder.numbers())
          .containsExactlyElementsOf(java.util.stream.IntStream.range(0, 175).boxed().toList());
      assertThat(subscription.lastEventId()).isEqualTo(recorder.events.get(174).id());
    } finally {
      await(subscription.close());
      await(client.close());
      await(proxy.close());
    }
  }

  @Test
  void resumingAfterMoreThanTheBufferHoldsSaysReset() throws InterruptedException {
    Recorder first = new Recorder();
    EventSubscription s = subscribe(lab.client, Set.of("test.reset"), first);
    waitUntil(() -> first.opens.get() == 1, 5_000);
    publish("test.reset", 0, 1);
    waitUntil(() -> first.events.size() == 1, 5_000);
    String last = s.lastEventId();
    await(s.close());
    publish("test.reset", 1, 260); // the server keeps 200 per topic

    Recorder resumed = new Recorder();
    EventSubscription again = subscribe(lab.client, Set.of("test.reset"), last, resumed);
    waitUntil(() -> resumed.resets.get() == 1, 5_000);
    publish("test.reset", 260, 261);
    waitUntil(() -> resumed.events.size() == 1, 5_000);
    assertThat(resumed.numbers()).containsExactly(260);
    await(again.close());

    // Within the buffer, a resume replays exactly what came after the id.
    Recorder within = new Recorder();
    String id250 = null;
    EventHub.Replay kept = hub.replay(Set.of("test.reset"), 0);
    for (var e : kept.events()) {
      if (e.payload().getInteger("n") == 250) {
        id250 = Long.toString(e.id());
      }
    }
    EventSubscription third = subscribe(lab.client, Set.of("test.reset"), id250, within);
    waitUntil(() -> within.events.size() == 10, 5_000);
    assertThat(within.numbers()).containsExactly(251, 252, 253, 254, 255, 256, 257, 258, 259, 260);
    assertThat(within.resets).hasValue(0);
    await(third.close());
  }

  @Test
  void aClientThatReadsNothingIsDroppedWhileOthersKeepUp() throws Exception {
    Recorder healthy = new Recorder();
    EventSubscription s = subscribe(lab.client, Set.of("test.flood"), healthy);
    waitUntil(() -> healthy.opens.get() == 1, 5_000);
    // A raw client that asks for the stream and then never reads.
    AtomicBoolean slowClosed = new AtomicBoolean();
    NetClient raw = lab.vertx.createNetClient(); // kept: an unreferenced client may be closed
    NetSocket slow = await(raw.connect(lab.server.port(), "127.0.0.1"));
    slow.closeHandler(v -> slowClosed.set(true));
    // The answer's head is the signal that the stream is open; then it reads nothing more.
    io.vertx.core.Promise<Void> answered = io.vertx.core.Promise.promise();
    slow.handler(
        head -> {
          slow.pause();
          answered.tryComplete();
        });
    slow.write(Buffer.buffer(rawRequest("test.flood", lab.adminJwt)));
    await(answered.future());
    String padding = "x".repeat(8_000);
    int total = 4_000; // 32 MB: more than the loopback socket buffers hold
    for (int n = 0; n < total; n++) {
      hub.publish("test.flood", new JsonObject().put("n", n).put("padding", padding));
      if (n % 100 == 99) {
        // Paced by the reading client: never more than 200 events (1.6 MB) ahead of it.
        int published = n;
        waitUntil(() -> healthy.events.size() > published - 200 || healthy.opens.get() > 1, 10_000);
      }
    }
    waitUntil(() -> healthy.events.size() >= total || healthy.opens.get() > 1, 60_000);
    assertThat(healthy.opens).as("the reading client was never cut off").hasValue(1);
    // The server dropped the client that read nothing; only the reading one is left.
    waitUntil(() -> lab.registry.get("homelab.events.clients").gauge().value() == 1.0, 10_000);
    // Its socket, once read, ends: the server closed the connection.
    slow.handler(ignored -> {});
    slow.resume();
    waitUntil(slowClosed::get, 20_000);
    assertThat(healthy.numbers())
        .containsExactlyElementsOf(java.util.stream.IntStream.range(0, total).boxed().toList());
    await(s.close());
    await(raw.close());
  }

  @Test
  void badTopicsMissingAndAccessOnlyCredentialsAreRefusedForGood() throws InterruptedException {
    Recorder bad = new Recorder();
    subscribe(lab.client, Set.of("Not A Topic"), bad);
    waitUntil(() -> !bad.failures.isEmpty(), 5_000);
    assertThat(bad.failures.get(0)).hasMessageContaining("422");
    assertThat(bad.opens).hasValue(0);

    Recorder anonymous = new Recorder();
    HomelabClient nobody = lab.newClient(null);
    subscribe(nobody, Set.of(), anonymous);
    waitUntil(() -> !anonymous.failures.isEmpty(), 5_000);
    assertThat(anonymous.failures.get(0)).hasMessageContaining("401");
    await(nobody.close());

    // A key that may only ask for access decisions may not read events.
    String accessKey = await(lab.client.auth().createKey("stream-door", "access", null)).secret();
    HomelabClient door = lab.newClient(accessKey);
    Recorder refused = new Recorder();
    subscribe(door, Set.of(), refused);
    waitUntil(() -> !refused.failures.isEmpty(), 5_000);
    assertThat(refused.failures.get(0)).isInstanceOf(HomelabForbiddenException.class);
    assertThat(refused.opens).hasValue(0);
    await(door.close());
  }

  @Test
  void aDemotedCallerGetsANewStreamAndADisabledOneLosesIt() throws InterruptedException {
    HomelabClient member = lab.newUser("stream-member", "user");
    String id = await(member.auth().me()).id();
    Recorder recorder = new Recorder();
    EventSubscription s = subscribe(member, Set.of("test.demote"), recorder);
    waitUntil(() -> recorder.opens.get() == 1, 5_000);
    await(hub.publish("test.demote", new JsonObject().put("n", 1), Visibility.role("user")));
    waitUntil(() -> recorder.events.size() == 1, 5_000);

    // Demoted on this instance: the stream is closed at once, and the new one sees as a viewer.
    await(lab.client.users().update(id, UserPatch.empty().withRole("viewer")));
    waitUntil(() -> recorder.opens.get() == 2, 5_000);
    await(hub.publish("test.demote", new JsonObject().put("n", 2), Visibility.role("user")));
    await(hub.publish("test.demote", new JsonObject().put("n", 3)));
    waitUntil(() -> recorder.events.size() == 2, 5_000);
    assertThat(recorder.numbers()).containsExactly(1, 3);

    // Disabled: the stream is closed and the server refuses it from then on.
    await(lab.client.users().update(id, UserPatch.empty().withDisabled(true)));
    waitUntil(() -> !recorder.failures.isEmpty(), 5_000);
    assertThat(recorder.failures.get(0)).isInstanceOf(HomelabUnauthorizedException.class);
    await(s.close());
    await(member.close());
  }

  @Test
  void streamsBeyondAUsersCapWaitForAFreeSlot() throws InterruptedException {
    HomelabClient member = lab.newUser("stream-capped", "viewer");
    List<Recorder> open = new ArrayList<>();
    List<EventSubscription> subscriptions = new ArrayList<>();
    for (int i = 0; i < 4; i++) { // EVENTS_MAX_PER_USER
      Recorder r = new Recorder();
      open.add(r);
      subscriptions.add(subscribe(member, Set.of("test.cap"), r));
    }
    waitUntil(() -> open.stream().allMatch(r -> r.opens.get() == 1), 5_000);
    Recorder fifth = new Recorder();
    EventSubscription extra = subscribe(member, Set.of("test.cap"), fifth);
    waitUntil(() -> !fifth.reconnects.isEmpty(), 5_000);
    assertThat(fifth.reconnects.get(0)).isInstanceOf(HomelabRateLimitedException.class);
    assertThat(fifth.opens).hasValue(0);
    // Another user is not held back by this one's streams.
    Recorder admins = new Recorder();
    EventSubscription other = subscribe(lab.client, Set.of("test.cap"), admins);
    waitUntil(() -> admins.opens.get() == 1, 5_000);
    await(hub.publish("test.cap", new JsonObject().put("n", 1)));
    waitUntil(() -> open.stream().allMatch(r -> r.events.size() == 1), 5_000);

    // One closes: the waiting one gets its slot on its next attempt.
    await(subscriptions.get(0).close());
    waitUntil(() -> fifth.opens.get() == 1, 10_000);
    await(hub.publish("test.cap", new JsonObject().put("n", 2)));
    waitUntil(() -> fifth.events.size() == 1 && admins.events.size() == 2, 5_000);
    assertThat(fifth.numbers()).containsExactly(2);
    for (EventSubscription s : subscriptions) {
      await(s.close());
    }
    await(extra.close());
    await(other.close());
    await(member.close());
  }
}
