package dev.homelab.simulators.aihub;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The AI hub simulator over real HTTP: the chat stream's events, processes, cancel, auth. */
class AiHubSimulatorTest {

  private Vertx vertx = Vertx.vertx();
  private HttpClient client = vertx.createHttpClient();
  private final Context context = vertx.getOrCreateContext();

  /**
   * Runs a client call on an event loop, as clients are meant to be used: called from the test
   * thread, a reused keep-alive connection sometimes lost a small answer that had arrived.
   */
  private <T> T onLoop(Supplier<Future<T>> call) throws Exception {
    Promise<T> result = Promise.promise();
    context.runOnContext(v -> call.get().onComplete(result));
    return result.future().await(10, TimeUnit.SECONDS);
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  private static String basic(String password) {
    return "Basic "
        + Base64.getEncoder()
            .encodeToString(("admin:" + password).getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void aChatStreamsTheSeedsEventsAndEndsWithDone() throws Exception {
    AiHubSimulator simulator = AiHubSimulator.start(vertx).await(10, TimeUnit.SECONDS);
    String body =
        onLoop(
                () ->
                    client
                        .request(HttpMethod.POST, simulator.port(), "127.0.0.1", "/chat")
                        .compose(
                            request ->
                                request
                                    .putHeader("Authorization", basic("hub-secret"))
                                    .send(
                                        new JsonObject().put("message", "проверь диски").encode()))
                        .compose(response -> response.body()))
            .toString(StandardCharsets.UTF_8);
    String[] events = body.split("\n\n");
    assertThat(events).hasSize(7);
    assertThat(events[0])
        .startsWith("event: message\ndata: {\"type\":\"system\",\"subtype\":\"init\"");
    assertThat(events[1]).contains("проверь диски");
    assertThat(events[5]).contains("\"type\":\"result\"");
    assertThat(events[6]).startsWith("event: done\ndata: {\"process_id\":\"");
    String processId =
        new JsonObject(events[6].substring(events[6].indexOf('{'))).getString("process_id");
    assertThat(simulator.sent(processId)).hasSize(7);
    assertThat(simulator.runningProcesses()).isEmpty();
  }

  @Test
  void aRunningChatIsListedAndCancelEndsItsStream() throws Exception {
    AiHubSimulator simulator =
        AiHubSimulator.start(
                vertx, AiHubSimulator.Setup.defaults().withStepInterval(Duration.ofSeconds(30)))
            .await(10, TimeUnit.SECONDS);
    Promise<String> ended = Promise.promise();
    context.runOnContext(
        v ->
            client
                .request(HttpMethod.POST, simulator.port(), "127.0.0.1", "/chat")
                .compose(
                    request ->
                        request
                            .putHeader("Authorization", basic("hub-secret"))
                            .send(
                                new JsonObject()
                                    .put("message", "hi")
                                    .put("session_id", "s-1")
                                    .encode()))
                .compose(response -> response.body())
                .onComplete(
                    done ->
                        ended.complete(done.succeeded() ? done.result().toString() : "failed")));

    JsonObject processes;
    do {
      processes =
          onLoop(
                  () ->
                      client
                          .request(HttpMethod.GET, simulator.port(), "127.0.0.1", "/processes")
                          .compose(r -> r.putHeader("Authorization", basic("hub-secret")).send())
                          .compose(r -> r.body()))
              .toJsonObject();
    } while (processes.getInteger("count") == 0 && simulator.requests().size() < 200);
    JsonObject process = processes.getJsonArray("processes").getJsonObject(0);
    assertThat(process.getString("session_id")).isEqualTo("s-1");
    assertThat(process.getString("model")).isEqualTo("sonnet");

    String processId = process.getString("process_id");
    JsonObject cancelled =
        onLoop(
                () ->
                    client
                        .request(
                            HttpMethod.DELETE, simulator.port(), "127.0.0.1", "/chat/" + processId)
                        .compose(r -> r.putHeader("Authorization", basic("hub-secret")).send())
                        .compose(r -> r.body()))
            .toJsonObject();
    assertThat(cancelled.getString("status")).isEqualTo("cancelled");
    String stream = ended.future().await(10, TimeUnit.SECONDS);
    assertThat(stream).contains("\"subtype\":\"init\"").doesNotContain("event: done");
    assertThat(simulator.runningProcesses()).isEmpty();

    int status =
        onLoop(
            () ->
                client
                    .request(HttpMethod.GET, simulator.port(), "127.0.0.1", "/processes")
                    .compose(r -> r.putHeader("Authorization", basic("wrong")).send())
                    .map(r -> r.statusCode()));
    assertThat(status).isEqualTo(401);
  }
}
