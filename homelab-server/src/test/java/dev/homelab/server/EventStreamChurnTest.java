package dev.homelab.server;

import static dev.homelab.core.testing.VertxTesting.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import java.io.File;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Streams opened and dropped many times over, over SSE and WebSocket, half of them cut with a TCP
 * reset: afterwards nothing is held, no client counted, no cap slot taken, no subscription left, no
 * file descriptor kept (reliability matrix L8).
 */
class EventStreamChurnTest {

  static final int CYCLES = 400;
  static final String TOPIC = "test.churn";

  @TempDir Path dir;

  @Test
  void connectReadOneEventAndDropLeavesNothingBehind() throws InterruptedException {
    try (ServerTesting lab =
        ServerTesting.start(
            dir, Map.of("METRICS_INTERVAL_HOST", "0", "EVENTS_MAX_PER_USER", "3"))) {
      HttpClient polite = lab.vertx.createHttpClient(new HttpClientOptions().setKeepAlive(false));
      HttpClient abrupt =
          lab.vertx.createHttpClient(new HttpClientOptions().setKeepAlive(false).setSoLinger(0));
      WebSocketClient ws = lab.vertx.createWebSocketClient();
      WebSocketClient wsAbrupt =
          lab.vertx.createWebSocketClient(new WebSocketClientOptions().setSoLinger(0));
      long fdsBefore = openFiles();
      for (int i = 0; i < CYCLES; i++) {
        boolean reset = i % 2 == 1;
        if (i % 4 < 2) {
          await(sseCycle(lab, reset ? abrupt : polite, i));
        } else {
          await(webSocketCycle(lab, reset ? wsAbrupt : ws, i));
        }
      }
      EventStreamContract.waitUntil(
          () -> lab.registry.get("homelab.events.clients").gauge().value() == 0.0, 10_000);
      // No cap slot leaked: the admin may still open as many streams as the cap allows.
      EventStreamContract.Recorder[] three = new EventStreamContract.Recorder[3];
      var subscriptions = new java.util.ArrayList<dev.homelab.client.events.EventSubscription>();
      for (int i = 0; i < 3; i++) {
        three[i] = new EventStreamContract.Recorder();
        subscriptions.add(lab.client.events().subscribe(java.util.Set.of(TOPIC), three[i]));
      }
      EventStreamContract.waitUntil(
          () -> java.util.Arrays.stream(three).allMatch(r -> r.opens.get() == 1), 5_000);
      subscriptions.forEach(s -> await(s.close()));
      EventStreamContract.waitUntil(
          () -> lab.registry.get("homelab.events.clients").gauge().value() == 0.0, 5_000);
      long fdsAfter = openFiles();
      assertThat(fdsAfter)
          .as("file descriptors after %d cycles", CYCLES)
          .isLessThan(fdsBefore + 30);
      await(polite.close());
      await(abrupt.close());
      await(ws.close());
      await(wsAbrupt.close());
    }
  }

  /**
   * Publishes the cycle's event until it arrives: the stream may be open on the client's side a
   * moment before the server has subscribed it.
   */
  private static void publishUntil(ServerTesting lab, Promise<Void> done, int n) {
    long timer =
        lab.vertx.setPeriodic(
            0, 50, t -> lab.server.events().publish(TOPIC, new JsonObject().put("n", n)));
    done.future().onComplete(v -> lab.vertx.cancelTimer(timer));
  }

  /** Opens an SSE stream, waits for one event published for it, then drops the connection. */
  private static Future<Void> sseCycle(ServerTesting lab, HttpClient http, int n) {
    Promise<Void> done = Promise.promise();
    http.request(HttpMethod.GET, lab.server.port(), "127.0.0.1", "/api/events?topics=" + TOPIC)
        .compose(r -> r.putHeader("Authorization", "Bearer " + lab.adminJwt).send())
        .onFailure(done::fail)
        .onSuccess(
            (HttpClientResponse response) -> {
              StringBuilder seen = new StringBuilder();
              response.handler(
                  chunk -> {
                    seen.append(chunk);
                    if (seen.indexOf("\"n\":" + n + "}") >= 0) {
                      response.request().connection().close();
                      done.tryComplete();
                    }
                  });
              publishUntil(lab, done, n);
            });
    return done.future();
  }

  /** The same over a WebSocket. */
  private static Future<Void> webSocketCycle(ServerTesting lab, WebSocketClient client, int n) {
    Promise<Void> done = Promise.promise();
    client
        .connect(
            new WebSocketConnectOptions()
                .setHost("127.0.0.1")
                .setPort(lab.server.port())
                .setURI("/ws?topics=" + TOPIC)
                .addHeader("Authorization", "Bearer " + lab.adminJwt))
        .onFailure(done::fail)
        .onSuccess(
            (WebSocket socket) -> {
              socket.textMessageHandler(
                  text -> {
                    if (new JsonObject(text).getJsonObject("payload").getInteger("n") == n) {
                      socket.close();
                      done.tryComplete();
                    }
                  });
              publishUntil(lab, done, n);
            });
    return done.future();
  }

  private static long openFiles() {
    String[] fds = new File("/proc/self/fd").list();
    return fds == null ? 0 : fds.length;
  }
}
