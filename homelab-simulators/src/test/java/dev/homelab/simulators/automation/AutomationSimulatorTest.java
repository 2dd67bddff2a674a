package dev.homelab.simulators.automation;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The automation simulator over real HTTP: state changes, auth, log streams with ids, faults. */
class AutomationSimulatorTest {

  private Vertx vertx;
  private HttpClient client;
  private Context context;
  private AutomationSimulator simulator;

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    client = vertx.createHttpClient();
    context = vertx.getOrCreateContext();
    simulator =
        AutomationSimulator.start(
                vertx,
                AutomationSimulator.Setup.defaults()
                    .withLogInterval(Duration.ofMillis(10))
                    .withEventIds(true))
            .await(10, TimeUnit.SECONDS);
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  private static String basic(String user, String password) {
    return "Basic "
        + Base64.getEncoder()
            .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Runs a client call on an event loop, as clients are meant to be used: called from the test
   * thread, a reused keep-alive connection sometimes lost a small answer that had arrived.
   */
  private <T> T onLoop(Supplier<Future<T>> call) throws Exception {
    Promise<T> result = Promise.promise();
    context.runOnContext(v -> call.get().onComplete(result));
    return result.future().await(10, TimeUnit.SECONDS);
  }

  private Answer call(HttpMethod method, String path, String auth) throws Exception {
    return onLoop(
        () ->
            client
                .request(
                    new RequestOptions()
                        .setMethod(method)
                        .setPort(simulator.port())
                        .setHost("127.0.0.1")
                        .setURI(path))
                .compose(
                    request -> {
                      if (auth != null) {
                        request.putHeader("Authorization", auth);
                      }
                      return request.send();
                    })
                .compose(
                    response ->
                        response.body().map(body -> new Answer(response.statusCode(), body))));
  }

  private record Answer(int status, Buffer body) {
    JsonObject json() {
      return body.toJsonObject();
    }
  }

  @Test
  void actionsChangeTheStateThatListAndGetShow() throws Exception {
    String auth = basic("admin", "test");
    JsonObject list = call(HttpMethod.GET, "/api/automations", auth).json();
    assertThat(list.getInteger("total")).isEqualTo(4);
    assertThat(list.getInteger("running")).isEqualTo(3);
    assertThat(list.getJsonArray("automations").getJsonObject(0).getString("container_name"))
        .isEqualTo("automation-monitor");

    Answer stop = call(HttpMethod.POST, "/api/control/main%2Fkitchen%2Fmotion_light/stop", auth);
    assertThat(stop.status()).isEqualTo(200);
    assertThat(stop.json().getString("new_status")).isEqualTo("exited");
    assertThat(stop.json().getString("container_name"))
        .isEqualTo("automation-main-kitchen-motion_light");

    JsonObject one =
        call(HttpMethod.GET, "/api/automations/automation-main-kitchen-motion_light", auth).json();
    assertThat(one.getJsonObject("container").getString("status")).isEqualTo("exited");
    assertThat(one.getJsonObject("health").getBoolean("docker_running")).isFalse();

    assertThat(
            call(HttpMethod.POST, "/api/control/main%2Fkitchen%2Fmotion_light/restart", auth)
                .json()
                .getString("new_status"))
        .isEqualTo("running");
    assertThat(simulator.status("main/kitchen/motion_light")).isEqualTo("running");
    assertThat(call(HttpMethod.GET, "/api/automations/nope", auth).status()).isEqualTo(404);
  }

  @Test
  void wrongCredentialsAndInjectedFailuresAreAnswered() throws Exception {
    assertThat(call(HttpMethod.GET, "/api/automations", basic("admin", "wrong")).status())
        .isEqualTo(401);
    assertThat(call(HttpMethod.GET, "/api/automations", null).status()).isEqualTo(401);
    simulator.failNext(2, 503);
    String auth = basic("admin", "test");
    assertThat(call(HttpMethod.GET, "/api/automations", auth).status()).isEqualTo(503);
    assertThat(call(HttpMethod.GET, "/api/automations", auth).status()).isEqualTo(503);
    assertThat(call(HttpMethod.GET, "/api/automations", auth).status()).isEqualTo(200);
    assertThat(simulator.requestCount(HttpMethod.GET, "/api/automations")).isEqualTo(5);
  }

  @Test
  void logsStreamLinesWithIdsAndResumeAfterTheLastEventId() throws Exception {
    List<String> first = readEvents("/api/logs/monitor?lines=0", null, 3);
    assertThat(first).allSatisfy(event -> assertThat(event).contains("event: log\ndata: "));
    assertThat(first.get(0)).contains(" - monitor - ");
    String lastId =
        first.get(2).lines().filter(l -> l.startsWith("id: ")).findFirst().orElseThrow();
    long last = Long.parseLong(lastId.substring(4));

    List<String> resumed = readEvents("/api/logs/monitor", Long.toString(last), 1);
    assertThat(resumed.get(0)).startsWith("id: " + (last + 1) + "\n");
    assertThat(simulator.logStreamsOpened()).isEqualTo(2);
  }

  @Test
  void aLineWrittenByTheTestIsLoggedLikeAnyOther() throws Exception {
    // The garage is stopped: the line written is its only one.
    assertThat(simulator.writeLog("main/garage/door_alert", "WARNING - Door left open")).isTrue();
    assertThat(simulator.writeLog("main/attic/nothing", "INFO - no")).isFalse();
    List<String> events =
        readEvents("/api/logs/automation-main-garage-door_alert?lines=5", null, 1);
    assertThat(events.get(0)).endsWith(" - door_alert - WARNING - Door left open");
  }

  /** Reads the first {@code count} events of a log stream, then drops every stream. */
  private List<String> readEvents(String path, String lastEventId, int count) throws Exception {
    Promise<List<String>> done = Promise.promise();
    StringBuilder text = new StringBuilder();
    context.runOnContext(
        v ->
            client
                .request(HttpMethod.GET, simulator.port(), "127.0.0.1", path)
                .compose(
                    request -> {
                      request.putHeader("Authorization", basic("admin", "test"));
                      if (lastEventId != null) {
                        request.putHeader("Last-Event-ID", lastEventId);
                      }
                      return request.send();
                    })
                .onSuccess(
                    response ->
                        response.handler(
                            chunk -> {
                              text.append(chunk.toString(StandardCharsets.UTF_8));
                              List<String> events =
                                  List.of(text.toString().split("\n\n")).stream()
                                      .filter(e -> e.contains("event: log"))
                                      .toList();
                              if (events.size() >= count && text.toString().endsWith("\n\n")) {
                                done.tryComplete(events.subList(0, count));
                              }
                            })));
    List<String> events = done.future().await(10, TimeUnit.SECONDS);
    assertThat(simulator.openLogStreams()).isEqualTo(1);
    simulator.dropLogStreams();
    assertThat(simulator.openLogStreams()).isZero();
    return events;
  }
}
