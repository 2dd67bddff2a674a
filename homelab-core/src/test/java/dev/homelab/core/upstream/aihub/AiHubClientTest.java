package dev.homelab.core.upstream.aihub;

import static dev.homelab.core.testing.VertxTesting.await;
import static dev.homelab.core.testing.VertxTesting.awaitFailure;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.homelab.core.ErrorKind;
import dev.homelab.core.NotFoundException;
import dev.homelab.core.ValidationException;
import dev.homelab.core.testing.StallingUpstream;
import dev.homelab.core.testing.VertxTesting;
import dev.homelab.core.upstream.HttpWarmUp;
import dev.homelab.core.upstream.UpstreamException;
import dev.homelab.simulators.aihub.AiHubSimulator;
import dev.homelab.sse.SseEvent;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link AiHubClient} against the AI hub simulator over real HTTP: a chat's events arrive
 * unmodified and in order, cancel ends a running chat, a chat is never sent twice, ids are checked
 * before any request, and credentials never show.
 */
class AiHubClientTest {

  private static final Duration WAIT = Duration.ofSeconds(20);

  private final Vertx vertx = Vertx.vertx(VertxTesting.options());
  private AiHubSimulator simulator;
  private AiHubClient client;

  @BeforeAll
  static void warmUp() {
    HttpWarmUp.once();
  }

  @AfterEach
  void stop() {
    if (client != null) {
      await(client.close());
    }
    await(vertx.close());
  }

  private void start(AiHubSimulator.Setup setup) {
    simulator = await(AiHubSimulator.start(vertx, setup));
    client = AiHubClient.create(vertx, options("hub-secret"));
  }

  private AiHubOptions options(String password) {
    return new AiHubOptions()
        .setBaseUrl(URI.create(simulator.baseUrl()))
        .setUser("admin")
        .setPassword(password);
  }

  @Test
  void aChatsEventsArriveUnmodifiedAndInOrder() {
    start(AiHubSimulator.Setup.defaults().withStepInterval(Duration.ofMillis(5)));
    Recorder recorder = new Recorder();
    ChatStream stream =
        await(
            client.chat(
                new ChatRequest("проверь диски на PVE-1", "Ты управляешь Proxmox", "/srv", null),
                recorder));
    await().atMost(WAIT).until(recorder.ended::get);

    String processId = stream.processId();
    assertThat(processId).isNotNull();
    List<AiHubSimulator.SentEvent> sent = simulator.sent(processId);
    assertThat(sent).hasSize(7);
    assertThat(recorder.events)
        .containsExactlyElementsOf(
            sent.stream().map(e -> new SseEvent(null, e.type(), e.data())).toList());
    JsonObject init = new JsonObject(recorder.events.get(0).data());
    assertThat(init.getString("subtype")).isEqualTo("init");
    assertThat(stream.sessionId()).isEqualTo(init.getString("session_id"));
    assertThat(recorder.failure.get()).isNull();
  }

  @Test
  void cancelEndsARunningChatsStream() {
    start(AiHubSimulator.Setup.defaults().withStepInterval(Duration.ofSeconds(60)));
    Recorder recorder = new Recorder();
    ChatStream stream = await(client.chat(new ChatRequest("hi", null, null, "5e55-10n"), recorder));
    await().atMost(WAIT).until(() -> recorder.events.size() == 1);
    assertThat(stream.sessionId()).isEqualTo("5e55-10n");

    List<AiProcess> running = await(client.processes());
    assertThat(running).hasSize(1);
    AiProcess process = running.get(0);
    assertThat(process.sessionId()).isEqualTo("5e55-10n");
    assertThat(process.model()).isEqualTo("sonnet");

    JsonObject cancelled = await(client.cancel(process.processId()));
    assertThat(cancelled.getString("status")).isEqualTo("cancelled");
    await().atMost(WAIT).until(recorder.ended::get);
    assertThat(recorder.events).hasSize(1);
    assertThat(await(client.processes())).isEmpty();
    assertThat(awaitFailure(client.cancel(process.processId())))
        .isInstanceOf(NotFoundException.class);
  }

  @Test
  void aChatIsSentOnceAndInvalidInputIsRefusedBeforeAnyRequest() {
    start(AiHubSimulator.Setup.defaults());
    for (String bad : List.of("", "../processes", "a/b", "a b", "x".repeat(101))) {
      assertThat(awaitFailure(client.cancel(bad)))
          .isInstanceOfSatisfying(
              ValidationException.class, e -> assertThat(e.field()).isEqualTo("process_id"));
    }
    assertThatThrownBy(() -> ChatRequest.of(" ")).isInstanceOf(ValidationException.class);
    assertThatThrownBy(() -> new ChatRequest("hi", null, "relative/dir", null))
        .isInstanceOf(ValidationException.class);
    assertThatThrownBy(() -> new ChatRequest("hi", null, null, "../x"))
        .isInstanceOf(ValidationException.class);
    assertThat(simulator.requests()).isEmpty();

    simulator.failNext(1, 500);
    Throwable failure = awaitFailure(client.chat(ChatRequest.of("hi"), new Recorder()));
    assertThat(failure)
        .isInstanceOfSatisfying(
            UpstreamException.class, e -> assertThat(e.upstreamStatus()).isEqualTo(500));
    assertThat(simulator.requestCount(HttpMethod.POST, "/chat")).isEqualTo(1);
  }

  @Test
  void aChatWhoseHubFallsSilentFailsAfterTheTimeoutAndItsConnectionCloses() {
    StallingUpstream hub = StallingUpstream.start(vertx);
    hub.answer(
        request ->
            StallingUpstream.silentAfter(
                request,
                "text/event-stream",
                "event: message\ndata: {\"type\":\"system\",\"subtype\":\"init\"}\n\n"));
    client =
        AiHubClient.create(
            vertx,
            new AiHubOptions()
                .setBaseUrl(URI.create(hub.baseUrl()))
                .setPassword("hub-secret")
                .setTimeout(Duration.ofMillis(300)));
    Recorder recorder = new Recorder();
    await(client.chat(ChatRequest.of("hi"), recorder));
    await().atMost(Duration.ofSeconds(5)).until(recorder.ended::get);
    assertThat(recorder.events).hasSize(1);
    assertThat(recorder.failure.get())
        .isInstanceOfSatisfying(
            UpstreamException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(ErrorKind.UPSTREAM_TIMEOUT);
              assertThat(e.getMessage()).isEqualTo("ai hub sent nothing for 300 ms");
            });
    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(() -> assertThat(hub.closed()).isEqualTo(hub.accepted()));
    hub.close();
  }

  @Test
  void aChatWhoseEventsKeepComingIsNotCutHoweverLongItRuns() {
    // Seven events 100 ms apart: the chat runs longer than the timeout, no gap is as long.
    start(AiHubSimulator.Setup.defaults().withStepInterval(Duration.ofMillis(100)));
    AiHubClient patient =
        AiHubClient.create(vertx, options("hub-secret").setTimeout(Duration.ofMillis(500)));
    try {
      Recorder recorder = new Recorder();
      await(patient.chat(ChatRequest.of("hi"), recorder));
      await().atMost(WAIT).until(recorder.ended::get);
      assertThat(recorder.failure.get()).isNull();
      assertThat(recorder.events).hasSize(7);
    } finally {
      await(patient.close());
    }
  }

  @Test
  void wrongCredentialsAreAnUpstreamErrorThatNeverShowsThem() {
    start(AiHubSimulator.Setup.defaults());
    String secret = "not-the-hub-secret";
    AiHubOptions options = options(secret);
    AiHubClient wrong = AiHubClient.create(vertx, options);
    try {
      for (Throwable failure :
          List.of(
              awaitFailure(wrong.chat(ChatRequest.of("hi"), new Recorder())),
              awaitFailure(wrong.processes()))) {
        assertThat(failure)
            .isInstanceOfSatisfying(
                UpstreamException.class,
                e -> {
                  assertThat(e.kind()).isEqualTo(ErrorKind.UPSTREAM_ERROR);
                  assertThat(e.upstreamStatus()).isEqualTo(401);
                });
        assertThat(failure.getMessage()).doesNotContain(secret);
      }
      assertThat(options.toString()).doesNotContain(secret).contains("[hidden]");
      assertThat(options.toJson().encode()).doesNotContain(secret);
      assertThat(options.getTimeout()).isEqualTo(Duration.ofSeconds(300));
    } finally {
      await(wrong.close());
    }
  }

  /** Records what a chat listener is told. */
  private static final class Recorder implements ChatListener {
    final List<SseEvent> events = new CopyOnWriteArrayList<>();
    final AtomicBoolean ended = new AtomicBoolean();
    final AtomicReference<Throwable> failure = new AtomicReference<>();

    @Override
    public void onEvent(SseEvent event) {
      events.add(event);
    }

    @Override
    public void onEnd() {
      ended.set(true);
    }

    @Override
    public void onFailure(Throwable cause) {
      failure.set(cause);
      ended.set(true);
    }
  }
}
