package dev.homelab.server;

import static dev.homelab.core.testing.VertxTesting.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.homelab.client.HomelabHttpException;
import dev.homelab.client.events.EventSubscription;
import dev.homelab.core.testing.BlockedThreadGuard;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The server-wide cap on event streams, SSE and WebSocket counted together. */
@ExtendWith(BlockedThreadGuard.class)
class EventStreamCapTest {

  @TempDir Path dir;

  @Test
  void aStreamBeyondTheServersCapIsRefusedWith503UntilOneCloses() throws InterruptedException {
    try (ServerTesting lab =
        ServerTesting.start(dir, Map.of("METRICS_INTERVAL_HOST", "0", "EVENTS_MAX_CLIENTS", "2"))) {
      EventStreamContract.Recorder sse = new EventStreamContract.Recorder();
      EventStreamContract.Recorder ws = new EventStreamContract.Recorder();
      EventSubscription a = lab.client.events().subscribe(Set.of("test.cap"), sse);
      EventSubscription b = lab.client.events().subscribeWebSocket(Set.of("test.cap"), ws);
      EventStreamContract.waitUntil(() -> sse.opens.get() == 1 && ws.opens.get() == 1, 5_000);

      EventStreamContract.Recorder third = new EventStreamContract.Recorder();
      EventSubscription c = lab.client.events().subscribe(Set.of("test.cap"), third);
      EventStreamContract.waitUntil(() -> !third.reconnects.isEmpty(), 5_000);
      assertThat(third.reconnects.get(0)).isInstanceOf(HomelabHttpException.class);
      assertThat(((HomelabHttpException) third.reconnects.get(0)).status()).isEqualTo(503);
      assertThat(third.opens).hasValue(0);

      await(b.close());
      EventStreamContract.waitUntil(() -> third.opens.get() == 1, 10_000);
      await(a.close());
      await(c.close());
    }
  }

  @Test
  void aStreamOnTheTrailingSlashPathOutlivesTheRequestTimeoutAndFreesItsSlot() throws Exception {
    try (ServerTesting lab =
        ServerTesting.start(
            dir,
            Map.of(
                "METRICS_INTERVAL_HOST", "0",
                "REQUEST_TIMEOUT_SECONDS", "1",
                "EVENTS_PING_SECONDS", "1"))) {
      io.vertx.core.http.HttpClient http = lab.vertx.createHttpClient();
      java.util.List<String> received = new java.util.concurrent.CopyOnWriteArrayList<>();
      io.vertx.core.http.HttpClientResponse response =
          await(
              http.request(
                      io.vertx.core.http.HttpMethod.GET,
                      lab.server.port(),
                      "127.0.0.1",
                      "/api/events/?topics=test.slash")
                  .compose(
                      request ->
                          request.putHeader("Authorization", "Bearer " + lab.adminJwt).send())
                  .onSuccess(r -> r.handler(chunk -> received.add(chunk.toString()))));
      assertThat(response.statusCode()).isEqualTo(200);
      // Three pings a second apart: the stream is still served well past the 1 s request timeout.
      EventStreamContract.waitUntil(
          () -> String.join("", received).split(": ping", -1).length > 3, 6_000);
      await(lab.server.events().publish("test.slash", new io.vertx.core.json.JsonObject()));
      EventStreamContract.waitUntil(
          () -> String.join("", received).contains("event: test.slash"), 5_000);
      assertThat(lab.registry.get("homelab.events.clients").gauge().value()).isEqualTo(1.0);
      response.request().connection().close();
      EventStreamContract.waitUntil(
          () -> lab.registry.get("homelab.events.clients").gauge().value() == 0.0, 5_000);
      await(http.close());
    }
  }
}
