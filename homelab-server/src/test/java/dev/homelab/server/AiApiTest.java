package dev.homelab.server;

import static dev.homelab.core.testing.VertxTesting.await;
import static dev.homelab.core.testing.VertxTesting.awaitFailure;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.homelab.client.HomelabClient;
import dev.homelab.client.HomelabForbiddenException;
import dev.homelab.client.HomelabHttpException;
import dev.homelab.client.HomelabNotFoundException;
import dev.homelab.client.HomelabRateLimitedException;
import dev.homelab.client.HomelabValidationException;
import dev.homelab.client.ai.AiProcess;
import dev.homelab.client.ai.ChatEvent;
import dev.homelab.client.ai.ChatListener;
import dev.homelab.client.ai.ChatRequest;
import dev.homelab.client.ai.ChatSubscription;
import dev.homelab.client.identity.UserPatch;
import dev.homelab.core.testing.VertxTesting;
import dev.homelab.simulators.aihub.AiHubSimulator;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /api/ai} through the client, against a real server whose {@code AI_HUB_URL} points at an
 * AI hub simulator behind Basic authentication, and a second server whose hub is down and whose AI
 * budget is three calls a minute.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class AiApiTest {

  private static final String HUB_PASSWORD = "hub-Pa55-" + System.nanoTime();

  @TempDir static Path dir;
  @TempDir static Path downDir;

  static Vertx simulators;
  static AiHubSimulator hub;
  static ServerTesting lab;
  static ServerTesting downLab;
  static HomelabClient viewer;

  @BeforeAll
  static void start() {
    simulators = Vertx.vertx(VertxTesting.options());
    hub =
        await(
            AiHubSimulator.start(
                simulators,
                AiHubSimulator.Setup.defaults()
                    .withCredentials("admin", HUB_PASSWORD)
                    .withStepInterval(Duration.ofMillis(300))));
    AiHubSimulator gone = await(AiHubSimulator.start(simulators));
    String deadUrl = gone.baseUrl();
    await(gone.stop());
    TestSecrets.remember(HUB_PASSWORD);
    lab =
        ServerTesting.start(
            dir,
            Map.of(
                "AI_HUB_URL",
                hub.baseUrl(),
                "AI_HUB_USER",
                "admin",
                "AI_HUB_PASSWORD",
                HUB_PASSWORD,
                "RATE_LIMIT_AI_PER_MINUTE",
                "1000"));
    downLab =
        ServerTesting.start(
            downDir,
            Map.of(
                "AI_HUB_URL",
                deadUrl,
                "AI_HUB_PASSWORD",
                HUB_PASSWORD,
                "AI_HUB_TIMEOUT_SECONDS",
                "2",
                "RATE_LIMIT_AI_PER_MINUTE",
                "3"));
    viewer = lab.newUser("ai-viewer", "viewer");
  }

  @AfterAll
  static void stop() {
    if (viewer != null) {
      await(viewer.close());
    }
    if (lab != null) {
      lab.close();
    }
    if (downLab != null) {
      downLab.close();
    }
    if (simulators != null) {
      await(simulators.close());
    }
  }

  /** Collects a chat's events and how it ended. */
  static final class Collector implements ChatListener {
    final List<ChatEvent> events = new CopyOnWriteArrayList<>();
    final Promise<Void> ended = Promise.promise();
    final Promise<ChatEvent> first = Promise.promise();

    @Override
    public void onEvent(ChatEvent event) {
      events.add(event);
      first.tryComplete(event);
    }

    @Override
    public void onEnd() {
      ended.tryComplete();
    }

    @Override
    public void onFailure(Throwable failure) {
      ended.tryFail(failure);
    }
  }

  @Test
  void aChatsEventsArriveUnmodifiedAndInOrder() {
    Collector chat = new Collector();
    await(
        lab.client
            .ai()
            .chat(
                new ChatRequest("проверь диски", "You manage servers", "/home/user/servers", null),
                chat));
    await(chat.ended.future());

    ChatEvent done = chat.events.get(chat.events.size() - 1);
    assertThat(done.type()).isEqualTo("done");
    String processId = done.json().getString("process_id");
    List<AiHubSimulator.SentEvent> sent = hub.sent(processId);
    assertThat(sent).hasSize(7);
    assertThat(chat.events)
        .extracting(e -> new AiHubSimulator.SentEvent(e.type(), e.data()))
        .containsExactlyElementsOf(sent);
    assertThat(chat.events).allMatch(e -> e.id() == null);
    JsonObject init = chat.events.get(0).json();
    assertThat(init.getString("subtype")).isEqualTo("init");
    assertThat(init.getString("cwd")).isEqualTo("/home/user/servers");
    assertThat(hub.runningProcesses()).doesNotContain(processId);
  }

  @Test
  void processesListARunningChatAndCancelEndsItsStream() {
    Collector chat = new Collector();
    ChatSubscription subscription =
        lab.client.blocking().ai().chat(ChatRequest.of("долгая задача"), chat);
    String sessionId = await(chat.first.future()).json().getString("session_id");

    List<AiProcess> processes = await(lab.client.ai().processes());
    AiProcess running =
        processes.stream().filter(p -> sessionId.equals(p.sessionId())).findFirst().orElseThrow();
    assertThat(running.model()).isEqualTo("sonnet");
    assertThat(running.startedAt()).isNotBlank();
    assertThat(lab.client.blocking().ai().processes()).contains(running);

    assertThat(await(lab.client.ai().cancel(running.processId()))).isEqualTo(running.processId());
    await(chat.ended.future()); // a clean end: the hub ended the stream
    assertThat(chat.events).noneMatch(e -> e.type().equals("done"));
    assertThat(hub.runningProcesses()).doesNotContain(running.processId());
    subscription.close();

    HomelabNotFoundException unknown =
        (HomelabNotFoundException) awaitFailure(lab.client.ai().cancel(running.processId()));
    assertThat(unknown.status()).isEqualTo(404);
    HomelabValidationException invalid =
        (HomelabValidationException) awaitFailure(lab.client.ai().cancel("not a process!"));
    assertThat(invalid.status()).isEqualTo(422);
  }

  /** The hub's process of a running chat, found by the session its first event names. */
  private static String processOf(Collector chat) {
    String sessionId = await(chat.first.future()).json().getString("session_id");
    return await(lab.client.ai().processes()).stream()
        .filter(p -> sessionId.equals(p.sessionId()))
        .findFirst()
        .orElseThrow()
        .processId();
  }

  @Test
  void closingTheClientsStreamClosesTheUpstreamChat() {
    Collector chat = new Collector();
    ChatSubscription subscription = await(lab.client.ai().chat(ChatRequest.of("закрой"), chat));
    String processId = processOf(chat);
    assertThat(hub.runningProcesses()).contains(processId);

    subscription.close();

    await().atMost(Duration.ofSeconds(10)).until(() -> !hub.runningProcesses().contains(processId));
    assertThat(hub.sent(processId).size()).isLessThan(7);
    assertThat(chat.ended.future().isComplete()).isFalse(); // nothing after close
  }

  /**
   * A chat ends with {@code event: close} naming why, and stops on the hub, when its user is
   * demoted to viewer mid-chat (reliability row A13: a chat runs tools on the hub's machines, which
   * a viewer may not).
   */
  @Test
  void aChatEndsAndStopsOnTheHubWhenItsUserIsDemoted() {
    HomelabClient carol = lab.newUser("ai-carol", "user");
    try {
      String carolId = await(carol.auth().me()).id();
      Collector chat = new Collector();
      await(carol.ai().chat(ChatRequest.of("долгая задача"), chat));
      // The chat runs for about two seconds: time for the lookup and the demotion.
      String processId = processOf(chat);

      await(lab.client.users().update(carolId, UserPatch.empty().withRole("viewer")));

      await(chat.ended.future());
      ChatEvent last = chat.events.get(chat.events.size() - 1);
      assertThat(last.type()).isEqualTo("close");
      assertThat(last.json().getString("reason")).contains("role");
      assertThat(chat.events).noneMatch(e -> e.type().equals("done"));
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> !hub.runningProcesses().contains(processId));
      assertThat(hub.sent(processId).size()).isLessThan(7);
    } finally {
      await(carol.close());
    }
  }

  /**
   * Reliability row A11: the hub keeps no owner, the server does. A user lists, stops and continues
   * only the sessions of their own chats; another user's process is answered like one that is not
   * running and another user's session like one the hub does not know, and neither request reaches
   * the hub. An administrator sees every process.
   */
  @Test
  void aUserSeesStopsAndContinuesOnlyTheSessionsOfTheirOwnChats() {
    HomelabClient dave = lab.newUser("ai-dave", "user");
    HomelabClient erin = lab.newUser("ai-erin", "user");
    try {
      Collector chat = new Collector();
      Collector stopped = new Collector();
      await(dave.ai().chat(ChatRequest.of("долгая задача"), chat));
      await(dave.ai().chat(ChatRequest.of("ещё одна долгая задача"), stopped));
      String sessionId = await(chat.first.future()).json().getString("session_id");
      String processId = processOf(chat); // the administrator sees it
      String stoppedId = processOf(stopped);

      assertThat(await(dave.ai().processes()))
          .extracting(AiProcess::processId)
          .contains(processId, stoppedId);
      List<AiProcess> erins = await(erin.ai().processes());
      assertThat(erins).extracting(AiProcess::processId).doesNotContain(processId, stoppedId);
      assertThat(erins).extracting(AiProcess::sessionId).doesNotContain(sessionId);

      // Dave stops his own, as the dashboard's stop button does.
      assertThat(await(dave.ai().cancel(stoppedId))).isEqualTo(stoppedId);
      await(stopped.ended.future());
      assertThat(stopped.events).noneMatch(e -> e.type().equals("done"));

      HomelabNotFoundException cancel =
          (HomelabNotFoundException) awaitFailure(erin.ai().cancel(processId));
      assertThat(cancel.errorCode()).isEqualTo("AI_PROCESS_NOT_FOUND");
      assertThat(hub.requestCount(HttpMethod.DELETE, "/chat/" + processId))
          .as("another user's cancel reaches the hub")
          .isZero();
      assertThat(hub.runningProcesses()).as("still running: the lists saw it").contains(processId);

      long chats = hub.requestCount(HttpMethod.POST, "/chat");
      HomelabNotFoundException session =
          (HomelabNotFoundException)
              awaitFailure(
                  erin.ai()
                      .chat(
                          new ChatRequest("what did dave ask?", null, null, sessionId),
                          new Collector()));
      assertThat(session.errorCode()).isEqualTo("AI_SESSION_NOT_FOUND");
      assertThat(hub.requestCount(HttpMethod.POST, "/chat"))
          .as("another user's session reaches the hub")
          .isEqualTo(chats);

      // Dave goes on with his own conversation.
      await(chat.ended.future());
      Collector again = new Collector();
      await(dave.ai().chat(new ChatRequest("and now?", null, null, sessionId), again));
      assertThat(await(again.first.future()).json().getString("session_id")).isEqualTo(sessionId);
      await(again.ended.future());
    } finally {
      await(dave.close());
      await(erin.close());
    }
  }

  @Test
  void withoutAiHubUrlEveryRouteIs404NotConfigured(@TempDir Path plainDir) {
    try (ServerTesting plain = ServerTesting.start(plainDir)) {
      for (Throwable failure :
          List.of(
              awaitFailure(plain.client.ai().chat(ChatRequest.of("hi"), new Collector())),
              awaitFailure(plain.client.ai().processes()),
              awaitFailure(plain.client.ai().cancel("abc-123")))) {
        assertThat(failure).isInstanceOf(HomelabNotFoundException.class);
        assertThat(((HomelabHttpException) failure).errorCode()).isEqualTo("AI_HUB_NOT_CONFIGURED");
      }
    }
  }

  @Test
  void aViewerIsForbidden() {
    assertThat(awaitFailure(viewer.ai().chat(ChatRequest.of("hi"), new Collector())))
        .isInstanceOf(HomelabForbiddenException.class);
    assertThat(awaitFailure(viewer.ai().processes())).isInstanceOf(HomelabForbiddenException.class);
    assertThat(awaitFailure(viewer.ai().cancel("abc-123")))
        .isInstanceOf(HomelabForbiddenException.class);
  }

  @Test
  void aBadBodyIsRefusedWithoutReachingTheHub() {
    long before = hub.requestCount(HttpMethod.POST, "/chat");
    for (ChatRequest bad :
        List.of(
            ChatRequest.of("  "),
            new ChatRequest("hi", null, "relative/dir", null),
            new ChatRequest("hi", null, null, "not a session!"))) {
      Throwable failure = awaitFailure(lab.client.ai().chat(bad, new Collector()));
      assertThat(failure).isInstanceOf(HomelabValidationException.class);
      assertThat(((HomelabHttpException) failure).status()).isEqualTo(422);
    }
    assertThat(hub.requestCount(HttpMethod.POST, "/chat")).isEqualTo(before);
  }

  @Test
  void aHubThatIsDownIs502BeforeStreamingAndTheAiBudgetIs429() {
    for (int i = 0; i < 3; i++) {
      Throwable failure =
          awaitFailure(downLab.client.ai().chat(ChatRequest.of("hi " + i), new Collector()));
      assertThat(failure).isInstanceOf(HomelabHttpException.class);
      HomelabHttpException http = (HomelabHttpException) failure;
      assertThat(http.status()).isEqualTo(502);
      assertThat(http.errorCode()).isEqualTo("UPSTREAM_UNAVAILABLE");
      assertThat(http.body()).contains("ai hub").doesNotContain("127.0.0.1");
      assertThat(http.body()).doesNotContain(HUB_PASSWORD);
    }
    // Reading the process list spends nothing of the hub's model: only the global limit counts it.
    Throwable listed = awaitFailure(downLab.client.ai().processes());
    assertThat(((HomelabHttpException) listed).status()).isEqualTo(502);
    Throwable limited =
        awaitFailure(downLab.client.ai().chat(ChatRequest.of("more"), new Collector()));
    assertThat(limited).isInstanceOf(HomelabRateLimitedException.class);
    assertThat(((HomelabHttpException) limited).status()).isEqualTo(429);
  }
}
