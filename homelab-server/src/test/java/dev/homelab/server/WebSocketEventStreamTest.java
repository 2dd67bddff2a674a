package dev.homelab.server;

import static dev.homelab.core.testing.VertxTesting.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.homelab.client.HomelabClient;
import dev.homelab.client.events.EventListener;
import dev.homelab.client.events.EventSubscription;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * The event stream contract over a WebSocket, {@code GET /ws}, and what only a WebSocket has: a
 * browser's credential in the subprotocol, and a clear refusal of a request that is no upgrade.
 */
class WebSocketEventStreamTest extends EventStreamContract {

  @Override
  EventSubscription subscribe(
      HomelabClient client, Set<String> topics, String lastEventId, EventListener listener) {
    return client.events().subscribeWebSocket(topics, lastEventId, listener);
  }

  @Override
  String rawRequest(String topics, String bearer) {
    return "GET /ws?topics="
        + topics
        + " HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
        + "Authorization: Bearer "
        + bearer
        + "\r\n\r\n";
  }

  @Test
  void aBrowserAuthenticatesWithTheBearerSubprotocol() throws InterruptedException {
    WebSocketClient browser = lab.vertx.createWebSocketClient();
    try {
      WebSocketConnectOptions options =
          new WebSocketConnectOptions()
              .setHost("127.0.0.1")
              .setPort(lab.server.port())
              .setURI("/ws?topics=test.browser")
              .setSubProtocols(List.of("homelab.v1", "homelab.bearer." + lab.adminJwt));
      WebSocket ws = await(browser.connect(options));
      // A browser fails the connection unless the server picks one of the offered protocols.
      assertThat(ws.subProtocol()).isEqualTo("homelab.v1");
      List<JsonObject> messages = new CopyOnWriteArrayList<>();
      ws.textMessageHandler(text -> messages.add(new JsonObject(text)));
      // The socket may be open before the server has subscribed it: publish until one arrives.
      waitUntil(
          () -> {
            if (messages.isEmpty()) {
              await(hub.publish("test.browser", new JsonObject().put("n", 1)));
            }
            return !messages.isEmpty();
          },
          5_000);
      JsonObject event = messages.get(0);
      assertThat(event.getString("type")).isEqualTo("event");
      assertThat(event.getString("topic")).isEqualTo("test.browser");
      assertThat(event.getLong("id")).isPositive();
      assertThat(event.getJsonObject("payload").getInteger("n")).isEqualTo(1);
      await(ws.close());

      // A wrong credential in the subprotocol is refused before the upgrade.
      UpgradeRejectedException rejected =
          org.junit.jupiter.api.Assertions.assertThrows(
              UpgradeRejectedException.class,
              () ->
                  await(
                      browser.connect(
                          options.setSubProtocols(
                              List.of("homelab.v1", "homelab.bearer.not-a-token")))));
      assertThat(rejected.getStatus()).isEqualTo(401);
      assertThat(rejected.getBody().toJsonObject().getString("error_code"))
          .isEqualTo("UNAUTHENTICATED");
    } finally {
      await(browser.close());
    }
  }

  @Test
  void aPlainRequestIsAnsweredWithTheStandardError() {
    // The web client reads the whole answer, whenever its parts arrive.
    var answer =
        await(lab.web.get("/ws").putHeader("Authorization", "Bearer " + lab.adminJwt).send());
    assertThat(answer.statusCode()).isEqualTo(400);
    assertThat(answer.bodyAsJsonObject().getString("error_code")).isEqualTo("WEBSOCKET_EXPECTED");
  }
}
