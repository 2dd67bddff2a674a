package dev.homelab.server;

import static dev.homelab.core.testing.VertxTesting.await;
import static dev.homelab.core.testing.VertxTesting.awaitFailure;
import static org.assertj.core.api.Assertions.assertThat;

import dev.homelab.client.HomelabClient;
import dev.homelab.client.HomelabForbiddenException;
import dev.homelab.client.HomelabHttpException;
import dev.homelab.client.HomelabNotFoundException;
import dev.homelab.client.HomelabValidationException;
import dev.homelab.client.audit.AuditEntry;
import dev.homelab.client.audit.AuditQuery;
import dev.homelab.client.automations.Automation;
import dev.homelab.client.automations.AutomationAction;
import dev.homelab.client.automations.AutomationList;
import dev.homelab.client.automations.AutomationLogListener;
import dev.homelab.client.events.EventSubscription;
import dev.homelab.core.testing.VertxTesting;
import dev.homelab.simulators.automation.AutomationSimulator;
import dev.homelab.sse.SseEvent;
import dev.homelab.sse.SseReader;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /api/automations} through the client, against a real server whose {@code
 * AUTOMATION_API_URL} points at an automation simulator with a password, and a server without it.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AutomationApiTest {

  private static final String PASSWORD = "automation-Pa55-" + System.nanoTime();
  private static final String KITCHEN = "main/kitchen/motion_light";
  private static final String HALL = "main/hall/night_light";
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final int RAW_CLIENTS = 200;

  @TempDir static Path dir;
  @TempDir static Path offDir;

  static Vertx simulators;
  static AutomationSimulator automation;
  static ServerTesting lab;
  static ServerTesting off;

  @BeforeAll
  static void start() {
    simulators = Vertx.vertx(VertxTesting.options());
    automation =
        await(
            AutomationSimulator.start(
                simulators,
                AutomationSimulator.Setup.defaults()
                    .withCredentials("admin", PASSWORD)
                    .withLogInterval(Duration.ofMillis(100))));
    TestSecrets.remember(PASSWORD);
    lab =
        ServerTesting.start(
            dir,
            Map.of(
                "AUTOMATION_API_URL",
                automation.baseUrl(),
                "AUTOMATION_API_USER",
                "admin",
                "AUTOMATION_API_PASSWORD",
                PASSWORD,
                "AUTOMATION_API_TIMEOUT_SECONDS",
                "2",
                "EVENTS_PING_SECONDS",
                "1",
                // 200 callers from 127.0.0.1, plus the test clients.
                "MAX_CONNECTIONS_PER_CLIENT",
                "400",
                // The tests count what reaches the API: the metrics collector would add to it.
                "METRICS_INTERVAL_AUTOMATIONS",
                "0"));
    off = ServerTesting.start(offDir);
  }

  @AfterAll
  static void stop() {
    if (lab != null) {
      lab.close();
    }
    if (off != null) {
      off.close();
    }
    if (simulators != null) {
      await(simulators.close());
    }
  }

  @Test
  void automationsAreListedAndReadByEitherName() {
    AutomationList list = await(lab.client.automations().list());
    assertThat(list.total()).isEqualTo(4);
    assertThat(list.automations())
        .extracting(Automation::automationName)
        .contains("monitor", KITCHEN, "main/garage/door_alert");
    Automation kitchen = await(lab.client.automations().get(KITCHEN));
    assertThat(kitchen.containerName()).isEqualTo("automation-main-kitchen-motion_light");
    assertThat(kitchen.running()).isTrue();
    assertThat(kitchen.health()).isEqualTo("healthy");
    assertThat(lab.client.blocking().automations().get("automation-main-kitchen-motion_light"))
        .extracting(Automation::automationName)
        .isEqualTo(KITCHEN);
    assertThat(awaitFailure(lab.client.automations().get("main/attic/nothing")))
        .isInstanceOf(HomelabNotFoundException.class);
  }

  @Test
  void anAdminStopsAndRestartsAndEachActionIsAudited() {
    AutomationAction stopped = await(lab.client.automations().stop(HALL));
    assertThat(stopped.success()).isTrue();
    assertThat(automation.status(HALL)).isEqualTo("exited");
    assertThat(await(lab.client.automations().get(HALL)).running()).isFalse();
    AutomationAction restarted = lab.client.blocking().automations().restart(HALL);
    assertThat(restarted.success()).isTrue();
    assertThat(restarted.action()).isEqualTo("restart");
    assertThat(automation.status(HALL)).isEqualTo("running");

    List<AuditEntry> entries =
        await(lab.client.audit().list(AuditQuery.create().withAction("automation.restart")))
            .items();
    assertThat(entries).hasSize(1);
    AuditEntry entry = entries.get(0);
    assertThat(entry.actor()).isEqualTo("admin");
    assertThat(entry.outcome()).isEqualTo("success");
    assertThat(entry.target()).isEqualTo("automation:" + HALL);
    assertThat(entry.detail().getString("automation")).isEqualTo(HALL);
    assertThat(
            await(lab.client.audit().list(AuditQuery.create().withAction("automation.stop")))
                .items())
        .hasSize(1);
  }

  @Test
  void aUserIsRefusedAndNothingIsSent() {
    HomelabClient user = lab.newUser("automation-user", "user");
    assertThat(await(user.automations().list()).total()).isEqualTo(4);
    long posts = automation.requestCount(HttpMethod.POST, "/restart");
    assertThat(awaitFailure(user.automations().restart(KITCHEN)))
        .isInstanceOf(HomelabForbiddenException.class);
    assertThat(awaitFailure(user.automations().stop(KITCHEN)))
        .isInstanceOf(HomelabForbiddenException.class);
    assertThat(automation.requestCount(HttpMethod.POST, "/restart")).isEqualTo(posts);
    assertThat(automation.requestCount(HttpMethod.POST, "/stop")).isZero();
    assertThat(automation.status(KITCHEN)).isEqualTo("running");
  }

  @Test
  void aBadNameIs422AndNothingIsSent() {
    int before = automation.requests().size();
    HomelabValidationException get =
        (HomelabValidationException) awaitFailure(lab.client.automations().get("bad name!"));
    assertThat(get.status()).isEqualTo(422);
    assertThat(get.field()).isEqualTo("name");
    assertThat(awaitFailure(lab.client.automations().start("-kitchen")))
        .isInstanceOf(HomelabValidationException.class);
    AtomicBoolean refused = new AtomicBoolean();
    lab.client
        .automations()
        .logs(
            "main//kitchen",
            new AutomationLogListener() {
              @Override
              public void onLine(String line) {}

              @Override
              public void onFailure(Throwable failure) {
                refused.set(failure instanceof HomelabValidationException);
              }
            });
    Awaitility.await().atMost(WAIT).untilTrue(refused);
    assertThat(automation.requests()).hasSize(before);
  }

  @Test
  void withoutAnUrlEveryRouteIs404NotConfigured() {
    HomelabHttpException list =
        (HomelabHttpException) awaitFailure(off.client.automations().list());
    assertThat(list).isInstanceOf(HomelabNotFoundException.class);
    assertThat(list.errorCode()).isEqualTo("AUTOMATIONS_NOT_CONFIGURED");
    assertThat(
            ((HomelabHttpException) awaitFailure(off.client.automations().restart(KITCHEN)))
                .errorCode())
        .isEqualTo("AUTOMATIONS_NOT_CONFIGURED");
  }

  /** One raw SSE caller: the log lines and pings it received, and whether its stream ended. */
  private static final class Caller {
    final AtomicLong lines = new AtomicLong();
    final AtomicLong pings = new AtomicLong();
    final AtomicBoolean ended = new AtomicBoolean();
    volatile HttpClientResponse response;
  }

  @Test
  void aCallerThatStopsReadingIsDroppedWithoutSlowingTheOthersOrTheUpstream() throws Exception {
    try (java.net.Socket stalled = new java.net.Socket()) {
      // A small receive window: the server's writes back up after a few kilobytes.
      stalled.setReceiveBufferSize(4096);
      stalled.connect(new java.net.InetSocketAddress("127.0.0.1", lab.server.port()), 5_000);
      stalled
          .getOutputStream()
          .write(
              ("GET /api/automations/monitor/logs HTTP/1.1\r\nHost: lab\r\n"
                      + "Accept: text/event-stream\r\nAuthorization: Bearer "
                      + lab.adminJwt
                      + "\r\n\r\n")
                  .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
      java.io.InputStream in = stalled.getInputStream();
      byte[] head = new byte[12];
      stalled.setSoTimeout(10_000);
      assertThat(in.readNBytes(head, 0, head.length)).isEqualTo(head.length);
      assertThat(new String(head, java.nio.charset.StandardCharsets.ISO_8859_1))
          .isEqualTo("HTTP/1.1 200");

      AtomicLong lastSeen = new AtomicLong(-1);
      AtomicLong linesSeen = new AtomicLong();
      AtomicInteger sdkReconnects = new AtomicInteger();
      EventSubscription reader =
          lab.client
              .automations()
              .logs(
                  "monitor",
                  new AutomationLogListener() {
                    @Override
                    public void onLine(String line) {
                      linesSeen.incrementAndGet();
                      int at = line.indexOf("flood ");
                      if (at >= 0) {
                        int end = line.indexOf(' ', at + 6);
                        lastSeen.set(Long.parseLong(line.substring(at + 6, end)));
                      }
                    }

                    @Override
                    public void onReconnecting(Throwable cause, long delayMillis) {
                      sdkReconnects.incrementAndGet();
                    }
                  });
      try {
        // Log floods in batches of about 200 kB while the stalled caller reads nothing, until the
        // server counts it dropped: how much it takes depends on the kernel's socket buffers
        // (up to 4 MB here), so the test watches for the drop instead of guessing a volume. The
        // reader keeps up batch by batch. Lines written before the reader's stream reached the
        // API would never come (the API replays nothing): the simulator's own line every 100 ms
        // says it is there.
        Awaitility.await().atMost(WAIT).until(() -> linesSeen.get() > 0);
        double droppedBefore = droppedCallers();
        String padding = "x".repeat(2000);
        int line = 0;
        for (int batch = 0; batch < 200 && droppedCallers() == droppedBefore; batch++) {
          for (int i = 0; i < 100; i++, line++) {
            automation.writeLog("monitor", "INFO - flood " + line + " " + padding);
          }
          long last = line - 1;
          Awaitility.await().atMost(WAIT).until(() -> lastSeen.get() == last);
        }
        assertThat(droppedCallers()).as("slow callers dropped").isEqualTo(droppedBefore + 1);
        // The stalled caller was dropped: what was buffered for it ends in the connection's close.
        long deadline = System.nanoTime() + WAIT.toNanos();
        byte[] sink = new byte[65536];
        boolean closed = false;
        while (!closed && System.nanoTime() < deadline) {
          closed = in.read(sink) < 0;
        }
        assertThat(closed).as("the stalled caller's connection was closed").isTrue();
        assertThat(sdkReconnects).hasValue(0);
        assertThat(automation.openLogStreams()).isEqualTo(1);
      } finally {
        await(reader.close());
      }
    }
  }

  /** The server's own count of log callers dropped for not reading, from {@code /metrics}. */
  private static double droppedCallers() {
    String metrics = await(lab.web.get("/metrics").send()).bodyAsString();
    return metrics
        .lines()
        .filter(l -> l.startsWith("homelab_automations_log_callers_dropped_total"))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
        .sum();
  }

  @Test
  void twoHundredCallersShareOneUpstreamConnectionAndSurviveItsReconnection() {
    long opened = automation.logStreamsOpened();
    HttpClient http =
        simulators.createHttpClient(
            new HttpClientOptions(), new PoolOptions().setHttp1MaxSize(RAW_CLIENTS + 10));
    List<Caller> callers = new ArrayList<>();
    for (int i = 0; i < RAW_CLIENTS; i++) {
      Caller caller = new Caller();
      callers.add(caller);
      http.request(
              new RequestOptions()
                  .setHost("127.0.0.1")
                  .setPort(lab.server.port())
                  .setURI("/api/automations/monitor/logs")
                  .putHeader("Authorization", "Bearer " + lab.adminJwt)
                  .putHeader("Accept", "text/event-stream"))
          .compose(request -> request.send())
          .onSuccess(
              response -> {
                caller.response = response;
                if (response.statusCode() != 200) {
                  caller.ended.set(true);
                  return;
                }
                SseReader reader =
                    new SseReader(
                        new SseReader.Listener() {
                          @Override
                          public void onEvent(SseEvent event) {
                            if ("log".equals(event.type())) {
                              caller.lines.incrementAndGet();
                            }
                          }

                          @Override
                          public void onComment(String comment) {
                            if (comment.strip().equals("ping")) {
                              caller.pings.incrementAndGet();
                            }
                          }
                        });
                response.handler(reader::handle);
                response.endHandler(v -> caller.ended.set(true));
                response.exceptionHandler(e -> caller.ended.set(true));
              })
          .onFailure(e -> caller.ended.set(true));
    }
    AtomicLong sdkLines = new AtomicLong();
    AtomicInteger sdkReconnects = new AtomicInteger();
    EventSubscription sdk =
        lab.client
            .automations()
            .logs(
                "monitor",
                new AutomationLogListener() {
                  @Override
                  public void onLine(String line) {
                    if (line.contains("monitor")) {
                      sdkLines.incrementAndGet();
                    }
                  }

                  @Override
                  public void onReconnecting(Throwable cause, long delayMillis) {
                    sdkReconnects.incrementAndGet();
                  }
                });
    try {
      Awaitility.await()
          .atMost(WAIT)
          .until(
              () ->
                  sdkLines.get() > 0
                      && callers.stream().allMatch(c -> c.lines.get() > 0 || c.ended.get()));
      assertThat(callers).noneMatch(c -> c.ended.get());
      assertThat(automation.openLogStreams()).isEqualTo(1);
      assertThat(automation.logStreamsOpened() - opened).isEqualTo(1);

      // The API goes away for a while: its stream is cut and reconnections fail meanwhile.
      automation.resetConnections(true);
      automation.dropLogStreams();
      long[] pingsAtDrop = callers.stream().mapToLong(c -> c.pings.get()).toArray();
      Awaitility.await().atMost(WAIT).until(() -> automation.logStreamsOpened() - opened >= 2);
      Awaitility.await()
          .atMost(WAIT)
          .until(
              () -> {
                for (int i = 0; i < callers.size(); i++) {
                  if (callers.get(i).pings.get() < pingsAtDrop[i] + 2) {
                    return false;
                  }
                }
                return true;
              });
      long[] linesBack = callers.stream().mapToLong(c -> c.lines.get()).toArray();
      long sdkBack = sdkLines.get();
      automation.resetConnections(false);
      Awaitility.await()
          .atMost(WAIT)
          .until(
              () -> {
                for (int i = 0; i < callers.size(); i++) {
                  if (callers.get(i).lines.get() <= linesBack[i]) {
                    return false;
                  }
                }
                return sdkLines.get() > sdkBack;
              });
      assertThat(callers).noneMatch(c -> c.ended.get());
      assertThat(sdkReconnects).hasValue(0);
      assertThat(automation.openLogStreams()).isEqualTo(1);
    } finally {
      automation.resetConnections(false);
      await(sdk.close());
      await(http.close());
    }
    // The last caller gone, the upstream connection closes.
    Awaitility.await().atMost(WAIT).until(() -> automation.openLogStreams() == 0);
  }
}
