package dev.homelab.core.upstream.automation;

import static dev.homelab.core.testing.VertxTesting.await;
import static dev.homelab.core.testing.VertxTesting.awaitFailure;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.homelab.core.ErrorKind;
import dev.homelab.core.NotFoundException;
import dev.homelab.core.ValidationException;
import dev.homelab.core.testing.VertxTesting;
import dev.homelab.core.upstream.HttpWarmUp;
import dev.homelab.core.upstream.SharedEventStream.DropReason;
import dev.homelab.core.upstream.SharedEventStream.Subscriber;
import dev.homelab.core.upstream.SharedEventStream.Subscription;
import dev.homelab.core.upstream.SharedEventStreamOptions;
import dev.homelab.core.upstream.UpstreamException;
import dev.homelab.core.upstream.UpstreamStatus;
import dev.homelab.simulators.automation.AutomationSimulator;
import dev.homelab.sse.SseEvent;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link AutomationClient} against the automation simulator over real HTTP: reads, actions sent
 * exactly once, credentials refused and never shown, names checked before any request, and logs of
 * many subscribers through one upstream connection that survives a drop.
 */
class AutomationClientTest {

  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final String KITCHEN = "main/kitchen/motion_light";

  private Vertx vertx;
  private AutomationSimulator simulator;
  private AutomationClient client;

  @BeforeAll
  static void warmUp() {
    HttpWarmUp.once();
  }

  @BeforeEach
  void start() {
    vertx = Vertx.vertx(VertxTesting.options());
    simulator =
        await(
            AutomationSimulator.start(
                vertx,
                AutomationSimulator.Setup.defaults()
                    .withLogInterval(Duration.ofMillis(20))
                    .withEventIds(true)));
    client = AutomationClient.create(vertx, options("test"));
  }

  @AfterEach
  void stop() {
    await(client.close());
    await(vertx.close());
  }

  private AutomationOptions options(String password) {
    return new AutomationOptions()
        .setBaseUrl(URI.create(simulator.baseUrl()))
        .setUser("admin")
        .setPassword(password)
        .setLogLines(5)
        .setLogStreamOptions(
            new SharedEventStreamOptions()
                .setMaxBackoff(Duration.ofMillis(100))
                .setInitialBackoff(Duration.ofMillis(10)));
  }

  @Test
  void listGetAndActionsChangeTheState() {
    AutomationList list = await(client.list());
    assertThat(list.total()).isEqualTo(4);
    assertThat(list.running()).isEqualTo(3);
    assertThat(list.automations())
        .extracting(Automation::automationName)
        .contains("monitor", KITCHEN, "main/garage/door_alert");
    assertThat(list.json().getJsonArray("automations")).hasSize(4);

    Automation kitchen = await(client.get(KITCHEN));
    assertThat(kitchen.containerName()).isEqualTo("automation-main-kitchen-motion_light");
    assertThat(kitchen.running()).isTrue();
    assertThat(kitchen.health()).isEqualTo("healthy");

    AutomationAction stopped = await(client.stop(KITCHEN));
    assertThat(stopped.success()).isTrue();
    assertThat(stopped.action()).isEqualTo("stop");
    assertThat(stopped.newStatus()).isEqualTo("exited");
    assertThat(await(client.get(KITCHEN)).status()).isEqualTo("exited");
    assertThat(simulator.status(KITCHEN)).isEqualTo("exited");

    assertThat(await(client.start("automation-main-kitchen-motion_light")).newStatus())
        .isEqualTo("running");
    assertThat(await(client.restart("main/garage/door_alert")).newStatus()).isEqualTo("running");
    assertThat(await(client.list()).running()).isEqualTo(4);
    assertThat(
            simulator.requestCount(
                HttpMethod.POST, "/api/control/main%2Fkitchen%2Fmotion_light/stop"))
        .isEqualTo(1);

    assertThat(awaitFailure(client.get("main/nowhere"))).isInstanceOf(NotFoundException.class);
    UpstreamStatus status = await(client.probe());
    assertThat(status.reachable()).isTrue();
  }

  @Test
  void anActionIsSentExactlyOnceEvenWhenItFails() {
    simulator.failNext(1, 503);
    Throwable failure = awaitFailure(client.restart(KITCHEN));
    assertThat(failure)
        .isInstanceOfSatisfying(
            UpstreamException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(ErrorKind.UPSTREAM_ERROR);
              assertThat(e.upstreamStatus()).isEqualTo(503);
            });
    assertThat(simulator.requestCount(HttpMethod.POST, "/restart")).isEqualTo(1);

    simulator.resetConnections(true);
    assertThat(awaitFailure(client.stop(KITCHEN)))
        .isInstanceOfSatisfying(
            UpstreamException.class,
            e -> assertThat(e.kind()).isEqualTo(ErrorKind.UPSTREAM_UNAVAILABLE));
    assertThat(simulator.requestCount(HttpMethod.POST, "/stop")).isEqualTo(1);
    assertThat(simulator.status(KITCHEN)).isEqualTo("running");
  }

  @Test
  void wrongCredentialsAreAnUpstreamErrorThatNeverShowsThem() {
    String secret = "s3cret-pa55word";
    AutomationOptions options = options(secret);
    AutomationClient wrong = AutomationClient.create(vertx, options);
    try {
      Throwable failure = awaitFailure(wrong.list());
      assertThat(failure)
          .isInstanceOfSatisfying(
              UpstreamException.class,
              e -> {
                assertThat(e.kind()).isEqualTo(ErrorKind.UPSTREAM_ERROR);
                assertThat(e.upstreamStatus()).isEqualTo(401);
              });
      assertThat(failure.getMessage()).doesNotContain(secret).doesNotContain("127.0.0.1");
      assertThat(String.valueOf(failure.getCause())).doesNotContain(secret);
      assertThat(options.toString()).doesNotContain(secret).contains("[hidden]");
      assertThat(options.toJson().encode()).doesNotContain(secret);

      // A log stream refused for its credentials drops its subscriber instead of retrying.
      Recorder recorder = new Recorder();
      wrong.logs(KITCHEN, recorder);
      await().atMost(WAIT).until(() -> !recorder.drops.isEmpty());
      assertThat(recorder.drops).containsExactly(DropReason.REFUSED);
      assertThat(simulator.logStreamsOpened()).isEqualTo(1);
    } finally {
      await(wrong.close());
    }
  }

  @Test
  void invalidNamesAreRefusedWithNoRequestSent() {
    for (String bad :
        List.of(
            "", "../etc/passwd", "a//b", "/x", "x/", "a b", "a?b", "a%2Fb", ".hidden", "a/../b")) {
      assertThat(awaitFailure(client.get(bad)))
          .as(bad)
          .isInstanceOfSatisfying(
              ValidationException.class, e -> assertThat(e.field()).isEqualTo("name"));
      assertThat(awaitFailure(client.restart(bad))).isInstanceOf(ValidationException.class);
      assertThatThrownBy(() -> client.logs(bad, new Recorder()))
          .isInstanceOf(ValidationException.class);
    }
    assertThat(awaitFailure(client.stop(null))).isInstanceOf(ValidationException.class);
    assertThat(simulator.requests()).isEmpty();
    assertThat(client.logStreams().streams()).isZero();
  }

  @Test
  void fiftySubscribersShareOneLogConnectionThatResumesAfterADrop() {
    List<Recorder> recorders = new ArrayList<>();
    List<Subscription> subscriptions = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      Recorder recorder = new Recorder();
      subscriptions.add(client.logs(KITCHEN, recorder));
      recorders.add(recorder);
    }
    await().atMost(WAIT).until(() -> recorders.stream().allMatch(r -> r.events.size() >= 5));
    assertThat(simulator.openLogStreams()).isEqualTo(1);
    assertThat(simulator.logStreamsOpened()).isEqualTo(1);
    assertThat(client.logStreams().streams()).isEqualTo(1);
    assertThat(client.logStreams().subscribers()).isEqualTo(50);
    for (Recorder recorder : recorders) {
      assertThat(recorder.events)
          .allSatisfy(
              event -> {
                assertThat(event.type()).isEqualTo("log");
                assertThat(event.data()).contains(" - motion_light - ");
              });
    }

    // The API drops the stream: one reconnection for everyone, resuming after the last line seen.
    Recorder first = recorders.get(0);
    int before = first.events.size();
    simulator.dropLogStreams();
    await().atMost(WAIT).until(() -> first.events.size() >= before + 5);
    await().atMost(WAIT).until(() -> simulator.openLogStreams() == 1);
    assertThat(simulator.logStreamsOpened()).isEqualTo(2);
    assertThat(client.logStreams().reconnects()).isEqualTo(1);
    List<Long> ids = first.events.stream().map(e -> Long.parseLong(e.id())).toList();
    for (int i = 1; i < ids.size(); i++) {
      assertThat(ids.get(i)).as("no line lost or repeated").isEqualTo(ids.get(i - 1) + 1);
    }

    subscriptions.forEach(Subscription::cancel);
    await().atMost(WAIT).until(() -> simulator.openLogStreams() == 0);
    assertThat(client.logStreams().streams()).isZero();
    assertThat(recorders).allSatisfy(r -> assertThat(r.drops).isEmpty());
  }

  /** Records what a log subscriber is told. */
  private static final class Recorder implements Subscriber {
    final List<SseEvent> events = new CopyOnWriteArrayList<>();
    final List<DropReason> drops = new CopyOnWriteArrayList<>();

    @Override
    public void onEvent(SseEvent event) {
      events.add(event);
    }

    @Override
    public void onDropped(DropReason reason, Throwable cause) {
      drops.add(reason);
    }
  }
}
