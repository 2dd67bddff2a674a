package dev.homelab.core.upstream;

import static dev.homelab.core.testing.VertxTesting.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.homelab.core.testing.VertxTesting;
import dev.homelab.core.upstream.SharedEventStream.DropReason;
import dev.homelab.core.upstream.SharedEventStream.Status;
import dev.homelab.core.upstream.SharedEventStream.Subscriber;
import dev.homelab.core.upstream.SharedEventStream.Subscription;
import dev.homelab.core.upstream.impl.Backoff;
import dev.homelab.core.upstream.impl.UpstreamHttp;
import dev.homelab.sse.SseEvent;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerResponse;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link SharedEventStream} and {@link SharedEventStreams} against a real local SSE server that
 * counts its connections: one connection for many subscribers, every event to each of them
 * unmodified, reconnection with {@code Last-Event-ID} and a bounded jittered backoff, slow
 * subscribers dropped alone, and the connection closed after the last subscriber leaves.
 */
class SharedEventStreamTest {

  private static final Duration WAIT = Duration.ofSeconds(20);

  private Vertx vertx;
  private SseServer server;
  private UpstreamHttp http;
  private final AtomicInteger opens = new AtomicInteger();

  private final List<SharedEventStream> streams = new ArrayList<>();

  @BeforeAll
  static void warmUp() {
    HttpWarmUp.once();
  }

  @BeforeEach
  void start() {
    vertx = Vertx.vertx(VertxTesting.options());
    server = new SseServer(vertx);
    server.listen(0);
  }

  @AfterEach
  void stop() {
    for (SharedEventStream stream : streams) {
      await(stream.close()); // before Vert.x closes, so that no reconnection is attempted
    }
    if (http != null) {
      http.close();
    }
    await(vertx.close());
  }

  private SharedEventStreamOptions fast() {
    return new SharedEventStreamOptions()
        .setMaxBackoff(Duration.ofMillis(100))
        .setInitialBackoff(Duration.ofMillis(10))
        .setRandom(new Random(42));
  }

  /** Opens {@code GET /events} of the test server through the real upstream plumbing. */
  private SharedEventStream.Upstream upstream(int port) {
    http =
        new UpstreamHttp(
            vertx,
            UpstreamHttp.Settings.of(
                    "test events",
                    URI.create("http://127.0.0.1:" + port),
                    Duration.ofSeconds(5),
                    null)
                .withBreaker(1000, Duration.ofMillis(100)),
            null);
    return lastEventId -> {
      opens.incrementAndGet();
      var headers = io.vertx.core.MultiMap.caseInsensitiveMultiMap();
      if (lastEventId != null) {
        headers.add("Last-Event-ID", lastEventId);
      }
      return http.open(HttpMethod.GET, "/events", null, headers, null);
    };
  }

  private SharedEventStream stream(SharedEventStreamOptions options) {
    return track(SharedEventStream.create(vertx, "test events", options, upstream(server.port)));
  }

  private SharedEventStream track(SharedEventStream stream) {
    streams.add(stream);
    return stream;
  }

  @Test
  void twoHundredSubscribersShareOneConnectionAndGetEveryEventUnmodified() {
    SharedEventStream stream = stream(fast());
    List<Recorder> recorders = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      Recorder recorder = new Recorder();
      recorder.subscription = stream.subscribe(recorder);
      recorders.add(recorder);
    }
    await().atMost(WAIT).until(() -> server.open() == 1 && stream.isConnected());

    server.send("id: 1\nevent: log\ndata: first line\n\n");
    server.send("event: log\ndata: two\ndata:  lines \n\n"); // no id: the last one stays in effect
    server.send(": ping\n\ndata: {\"a\":1}\n\n");

    await().atMost(WAIT).until(() -> recorders.stream().allMatch(r -> r.events.size() == 3));
    for (Recorder recorder : recorders) {
      assertThat(recorder.events)
          .containsExactly(
              new SseEvent("1", "log", "first line"),
              new SseEvent("1", "log", "two\n lines "),
              new SseEvent("1", "message", "{\"a\":1}"));
    }
    assertThat(server.accepted.get()).isEqualTo(1);
    assertThat(stream.connectionsOpened()).isEqualTo(1);
    assertThat(stream.subscribers()).isEqualTo(200);
    assertThat(stream.droppedSubscribers()).isZero();
  }

  @Test
  void subscribersStayAcrossADropAndTheReconnectionResumesFromTheLastId() {
    SharedEventStream stream = stream(fast());
    List<Recorder> recorders = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      Recorder recorder = new Recorder();
      recorder.subscription = stream.subscribe(recorder);
      recorders.add(recorder);
    }
    await().atMost(WAIT).until(() -> server.open() == 1);
    server.send("id: 7\ndata: before\n\n");
    await().atMost(WAIT).until(() -> recorders.stream().allMatch(r -> r.events.size() == 1));

    // The upstream goes away altogether: its connection is cut and nothing listens for a while.
    int port = server.port;
    server.dropAll();
    await(server.httpServer.close());
    int before = opens.get();
    await().atMost(WAIT).until(() -> opens.get() >= before + 3); // refused attempts, backing off
    assertThat(stream.isConnected()).isFalse();
    assertThat(stream.subscribers()).isEqualTo(20);

    server = new SseServer(vertx);
    server.listen(port);
    await().atMost(WAIT).until(() -> server.open() == 1 && stream.isConnected());
    server.send("id: 8\ndata: after\n\n");

    await().atMost(WAIT).until(() -> recorders.stream().allMatch(r -> r.events.size() == 2));
    for (Recorder recorder : recorders) {
      assertThat(recorder.events)
          .containsExactly(
              new SseEvent("7", "message", "before"), new SseEvent("8", "message", "after"));
      assertThat(recorder.statuses).contains(Status.RECONNECTING).endsWith(Status.CONNECTED);
      assertThat(recorder.subscription.isActive()).isTrue();
    }
    assertThat(server.lastEventIds).containsExactly("7");
    assertThat(server.accepted.get()).isEqualTo(1);
    assertThat(stream.reconnects()).isGreaterThanOrEqualTo(3);
    assertThat(stream.connectionsOpened()).isEqualTo(2);
  }

  /**
   * An upstream whose host vanished (power cut, packets dropped) closes nothing: a connection that
   * delivers nothing for the read-idle timeout is taken for dead and reopened, resuming from the
   * last id; one that keeps pinging is left alone (reliability matrix rows F11, F15).
   */
  @Test
  void aSilentConnectionIsReopenedAfterTheReadIdleTimeoutAndAPingingOneIsNot() {
    Duration idle = Duration.ofMillis(600);
    SharedEventStream stream = stream(fast().setReadIdleTimeout(idle));
    Recorder recorder = new Recorder();
    recorder.subscription = stream.subscribe(recorder);
    await().atMost(WAIT).until(() -> server.open() == 1);
    server.send("id: 1\ndata: before\n\n");
    await().atMost(WAIT).until(() -> recorder.events.size() == 1);

    // Pings more often than the timeout, for twice the timeout: the same connection stays.
    SseServer pinging = server;
    long pinger =
        vertx.setPeriodic(
            idle.toMillis() / 4,
            id ->
                pinging
                    .context
                    .get()
                    .runOnContext(v -> pinging.responses.forEach(r -> r.write(": ping\n\n"))));
    try {
      await()
          .during(idle.multipliedBy(2))
          .atMost(idle.multipliedBy(4))
          .until(() -> server.accepted.get() == 1 && stream.reconnects() == 0);
    } finally {
      vertx.cancelTimer(pinger);
    }

    // Then silence, the connection still open: the stream gives up on it and opens another.
    await()
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(20))
        .until(() -> server.accepted.get() >= 2 && stream.isConnected());
    server.send("id: 2\ndata: after\n\n");
    assertThat(server.lastEventIds.get(0)).isEqualTo("1");
    await().atMost(WAIT).until(() -> server.closed.get() >= 1); // the silent one was closed
    await().atMost(WAIT).until(() -> recorder.events.size() == 2);
    assertThat(recorder.events)
        .containsExactly(
            new SseEvent("1", "message", "before"), new SseEvent("2", "message", "after"));
    assertThat(stream.reconnects()).isGreaterThanOrEqualTo(1);
  }

  @Test
  void theLastSubscriberToLeaveClosesTheConnection() {
    SharedEventStream stream = stream(fast());
    List<Subscription> subscriptions = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      subscriptions.add(stream.subscribe(new Recorder()));
    }
    await().atMost(WAIT).until(() -> server.open() == 1);

    subscriptions.get(0).cancel();
    subscriptions.get(1).cancel();
    assertThat(stream.subscribers()).isEqualTo(1);
    subscriptions.get(2).cancel();

    await().atMost(WAIT).until(() -> server.closed.get() == 1);
    assertThat(server.open()).isZero();
    assertThat(stream.isConnected()).isFalse();
    assertThat(stream.subscribers()).isZero();

    // A new subscriber opens a new connection, from the start (no Last-Event-ID).
    stream.subscribe(new Recorder());
    await().atMost(WAIT).until(() -> server.open() == 1 && server.accepted.get() == 2);
    assertThat(server.lastEventIds).isEmpty();
  }

  @Test
  void aSubscriberThatNeverDrainsIsDroppedAndTheOthersKeepReceiving() {
    SharedEventStream stream = stream(fast().setSubscriberBufferSize(4));
    List<Recorder> fine = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      Recorder recorder = new Recorder();
      recorder.subscription = stream.subscribe(recorder);
      fine.add(recorder);
    }
    Recorder slow =
        new Recorder() {
          @Override
          public void onEvent(SseEvent event) {
            super.onEvent(event);
            subscription.pause(); // and never resumes
          }
        };
    slow.subscription = stream.subscribe(slow);
    await().atMost(WAIT).until(() -> server.open() == 1);

    for (int i = 1; i <= 20; i++) {
      server.send("id: " + i + "\ndata: line " + i + "\n\n");
    }
    await().atMost(WAIT).until(() -> fine.stream().allMatch(r -> r.events.size() == 20));

    assertThat(slow.drops).containsExactly(DropReason.TOO_SLOW);
    assertThat(slow.events).hasSize(1);
    assertThat(slow.subscription.isActive()).isFalse();
    assertThat(stream.droppedSubscribers()).isEqualTo(1);
    assertThat(stream.subscribers()).isEqualTo(10);
    assertThat(stream.connectionsOpened()).isEqualTo(1);
    assertThat(server.open()).isEqualTo(1);
    for (Recorder recorder : fine) {
      assertThat(recorder.drops).isEmpty();
      assertThat(recorder.events).extracting(SseEvent::id).containsExactlyElementsOf(ids(1, 20));
    }
  }

  @Test
  void fetchDeliversWhatIsAskedForFromTheBuffer() {
    SharedEventStream stream = stream(fast().setSubscriberBufferSize(10));
    Recorder recorder =
        new Recorder() {
          @Override
          public void onStatus(Status status) {
            super.onStatus(status);
            subscription.pause(); // paused before any event arrives
          }
        };
    recorder.subscription = stream.subscribe(recorder);
    Recorder witness = new Recorder();
    stream.subscribe(witness);
    await().atMost(WAIT).until(() -> server.open() == 1);
    for (int i = 1; i <= 5; i++) {
      server.send("id: " + i + "\ndata: " + i + "\n\n");
    }
    await().atMost(WAIT).until(() -> witness.events.size() == 5);
    assertThat(recorder.events).isEmpty();

    recorder.subscription.fetch(2);
    await().atMost(WAIT).until(() -> recorder.events.size() == 2);
    recorder.subscription.resume();
    await().atMost(WAIT).until(() -> recorder.events.size() == 5);
    assertThat(recorder.events).extracting(SseEvent::id).containsExactlyElementsOf(ids(1, 5));
    assertThat(recorder.drops).isEmpty();
  }

  @Test
  void anUpstreamThatRefusesTheStreamDropsItsSubscribersWithoutRetrying() {
    server.refuseWith = 404;
    SharedEventStream stream = stream(fast());
    Recorder recorder = new Recorder();
    recorder.subscription = stream.subscribe(recorder);
    await().atMost(WAIT).until(() -> !recorder.drops.isEmpty());
    assertThat(recorder.drops).containsExactly(DropReason.REFUSED);
    assertThat(recorder.causes.peek())
        .isInstanceOfSatisfying(
            UpstreamException.class, e -> assertThat(e.upstreamStatus()).isEqualTo(404));
    assertThat(opens.get()).isEqualTo(1);
    assertThat(stream.subscribers()).isZero();
  }

  @Test
  void withNothingListeningItKeepsTryingWithABoundedBackoffAndKeepsItsSubscribers() {
    int port = server.port;
    await(server.httpServer.close());
    SharedEventStream stream =
        track(SharedEventStream.create(vertx, "test events", fast(), upstream(port)));
    Recorder recorder = new Recorder();
    recorder.subscription = stream.subscribe(recorder);

    await().atMost(WAIT).until(() -> opens.get() >= 8);
    assertThat(stream.reconnects()).isGreaterThanOrEqualTo(7);
    assertThat(stream.connectionsOpened()).isZero();
    assertThat(recorder.subscription.isActive()).isTrue();
    assertThat(recorder.statuses).contains(Status.RECONNECTING).doesNotContain(Status.CONNECTED);
    recorder.subscription.cancel();
  }

  @Test
  void theBackoffDoublesUpToItsMaximumWithJitterInItsBounds() {
    Random random = new Random(7);
    Backoff backoff = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(30), 0.5, random);
    Set<Long> seen = ConcurrentHashMap.newKeySet();
    for (int round = 0; round < 50; round++) {
      for (int failures = 0; failures < 40; failures++) {
        long nominal = Math.min(30_000, 500L << Math.min(failures, 20));
        long delay = backoff.delayMillis(failures);
        assertThat(delay).isBetween(nominal / 2, nominal);
        if (failures == 3) {
          seen.add(delay);
        }
      }
    }
    assertThat(seen).hasSizeGreaterThan(10); // jittered, not one fixed value
    assertThat(backoff.delayMillisRequested(3_600_000)).isBetween(15_000L, 30_000L);

    Backoff noJitter = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(30), 0, random);
    assertThat(IntStream.range(0, 8).mapToLong(noJitter::delayMillis).toArray())
        .containsExactly(500, 1000, 2000, 4000, 8000, 16000, 30000, 30000);
  }

  @Test
  void theRegistryHasOneStreamPerKeyAndForgetsItWithItsLastSubscriber() {
    SharedEventStreams<String> streams =
        SharedEventStreams.create(vertx, "test events", fast(), key -> upstream(server.port));
    Recorder a1 = new Recorder();
    Recorder a2 = new Recorder();
    Subscription s1 = streams.subscribe("kitchen", a1);
    Subscription s2 = streams.subscribe("kitchen", a2);
    assertThat(streams.streams()).isEqualTo(1);
    assertThat(streams.subscribers()).isEqualTo(2);
    await().atMost(WAIT).until(() -> server.open() == 1);
    server.send("data: hello\n\n");
    await().atMost(WAIT).until(() -> a1.events.size() == 1 && a2.events.size() == 1);

    s1.cancel();
    assertThat(streams.stream("kitchen")).isNotNull();
    s2.cancel();
    assertThat(streams.streams()).isZero();
    await().atMost(WAIT).until(() -> server.closed.get() == 1);

    streams.subscribe("kitchen", new Recorder());
    await().atMost(WAIT).until(() -> server.accepted.get() == 2 && server.open() == 1);
    assertThat(streams.connectionsOpened()).isEqualTo(2);
    await(streams.close());
    await().atMost(WAIT).until(() -> server.open() == 0);
  }

  private static List<String> ids(int from, int to) {
    return IntStream.rangeClosed(from, to).mapToObj(Integer::toString).toList();
  }

  /** Records what a subscriber is told; called on the stream's context, read by the test. */
  private static class Recorder implements Subscriber {
    final List<SseEvent> events = new CopyOnWriteArrayList<>();
    final List<Status> statuses = new CopyOnWriteArrayList<>();
    final List<DropReason> drops = new CopyOnWriteArrayList<>();
    final ConcurrentLinkedQueue<Throwable> causes = new ConcurrentLinkedQueue<>();
    volatile Subscription subscription;

    @Override
    public void onEvent(SseEvent event) {
      events.add(event);
    }

    @Override
    public void onStatus(Status status) {
      statuses.add(status);
    }

    @Override
    public void onDropped(DropReason reason, Throwable cause) {
      drops.add(reason);
      if (cause != null) {
        causes.add(cause);
      }
    }
  }

  /** An SSE server that counts connections and lets the test write to all of them. */
  private static final class SseServer {
    final Vertx vertx;
    final AtomicInteger accepted = new AtomicInteger();
    final AtomicInteger closed = new AtomicInteger();
    final List<String> lastEventIds = new CopyOnWriteArrayList<>();
    final Set<HttpServerResponse> responses = ConcurrentHashMap.newKeySet();
    final AtomicReference<io.vertx.core.Context> context = new AtomicReference<>();
    volatile int refuseWith;
    HttpServer httpServer;
    int port;

    SseServer(Vertx vertx) {
      this.vertx = vertx;
    }

    void listen(int wanted) {
      httpServer =
          await(
              vertx
                  .createHttpServer()
                  .requestHandler(
                      request -> {
                        if (refuseWith > 0) {
                          request.response().setStatusCode(refuseWith).end();
                          return;
                        }
                        accepted.incrementAndGet();
                        String lastEventId = request.getHeader("Last-Event-ID");
                        if (lastEventId != null) {
                          lastEventIds.add(lastEventId);
                        }
                        HttpServerResponse response = request.response();
                        context.set(vertx.getOrCreateContext());
                        response
                            .setChunked(true)
                            .putHeader("Content-Type", "text/event-stream")
                            .closeHandler(
                                v -> {
                                  if (responses.remove(response)) {
                                    closed.incrementAndGet();
                                  }
                                });
                        responses.add(response);
                        response.write(": welcome\n\n");
                      })
                  .listen(wanted, "127.0.0.1"));
      port = httpServer.actualPort();
    }

    int open() {
      return responses.size();
    }

    /** Writes to every open connection, on the server's context. */
    void send(String text) {
      Future<Void> written =
          Future.future(
              promise ->
                  context
                      .get()
                      .runOnContext(
                          v -> {
                            for (HttpServerResponse response : responses) {
                              response.write(text);
                            }
                            promise.complete();
                          }));
      await(written);
    }

    /** Cuts every open connection. */
    void dropAll() {
      Future<Void> dropped =
          Future.future(
              promise ->
                  context
                      .get()
                      .runOnContext(
                          v -> {
                            for (HttpServerResponse response : List.copyOf(responses)) {
                              responses.remove(response);
                              response.reset();
                            }
                            promise.complete();
                          }));
      await(dropped);
    }
  }
}
