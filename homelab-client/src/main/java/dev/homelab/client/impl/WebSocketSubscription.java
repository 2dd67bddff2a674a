package dev.homelab.client.impl;

import dev.homelab.client.HomelabClientOptions;
import dev.homelab.client.HomelabConnectionException;
import dev.homelab.client.events.EventListener;
import dev.homelab.client.events.StreamEvent;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * One subscription to {@code GET /ws}: the server's events as JSON text messages ({@code
 * {"type":"event", ...}} or {@code {"type":"reset", ...}}), resumed with {@code Last-Event-ID} on
 * the upgrade request.
 */
final class WebSocketSubscription extends StreamSubscription {

  private final WebSocketClient client;
  private final String uri;
  private WebSocket current;

  WebSocketSubscription(
      Vertx vertx,
      HomelabClientOptions options,
      WebSocketClient client,
      String uri,
      Supplier<String> credential,
      String lastEventId,
      EventListener listener,
      Consumer<StreamSubscription> onEnd) {
    super(vertx, options, credential, lastEventId, listener, onEnd);
    this.client = client;
    this.uri = uri;
  }

  @Override
  void disconnect() {
    if (current != null) {
      current.close();
    }
  }

  @Override
  void connect() {
    if (closed()) {
      return;
    }
    WebSocketConnectOptions options = new WebSocketConnectOptions().setURI(uri);
    String token = credential.get();
    if (token != null) {
      options.addHeader("Authorization", "Bearer " + token);
    }
    if (lastEventId() != null && !lastEventId().isEmpty()) {
      options.addHeader("Last-Event-ID", lastEventId());
    }
    Future<WebSocket> connected;
    try {
      // Paused in the turn it opens, so that no message is dropped before answered() sets its
      // handlers (the replay comes right after the handshake).
      connected =
          client
              .connect(options)
              .andThen(
                  opened -> {
                    if (opened.succeeded()) {
                      opened.result().pause();
                    }
                  });
    } catch (IllegalStateException clientClosed) {
      clientClosed();
      return;
    }
    connected.onComplete(
        result -> {
          if (closed()) {
            if (result.succeeded()) {
              result.result().close();
            }
            return;
          }
          if (result.succeeded()) {
            answered(result.result());
          } else if (result.cause() instanceof UpgradeRejectedException rejected) {
            refused(
                rejected.getStatus(),
                rejected.getBody() == null ? "" : rejected.getBody().toString(),
                header(rejected, "X-Request-Id"),
                Transport.retryAfter(header(rejected, "Retry-After")));
          } else {
            retry(new HomelabConnectionException("event stream connection failed", result.cause()));
          }
        });
  }

  private static String header(UpgradeRejectedException rejected, String name) {
    return rejected.getHeaders() == null ? null : rejected.getHeaders().get(name);
  }

  private void answered(WebSocket ws) {
    current = ws;
    opened();
    ws.textMessageHandler(this::message);
    ws.exceptionHandler(e -> {}); // the close handler below reconnects
    ws.closeHandler(
        v -> {
          if (current == ws) {
            current = null;
            String reason = ws.closeReason() == null ? "" : ": " + ws.closeReason();
            retry(new HomelabConnectionException("event stream closed" + reason, null));
          }
        });
    ws.resume();
  }

  private void message(String text) {
    JsonObject message;
    try {
      message = new JsonObject(text);
    } catch (DecodeException e) {
      return; // not ours: the server sends JSON objects only
    }
    switch (message.getString("type", "")) {
      case "event" -> deliver(StreamEvent.fromJson(message));
      case "reset" -> reset();
      default -> {} // a newer server's message kind this client does not know
    }
  }
}
