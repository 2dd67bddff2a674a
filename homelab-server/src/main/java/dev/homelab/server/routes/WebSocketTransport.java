package dev.homelab.server.routes;

import dev.homelab.core.events.Event;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonObject;

/**
 * Events as JSON text messages on a WebSocket ({@code {"type":"event", ...}} or {@code
 * {"type":"reset", ...}}), WebSocket pings, and a close frame saying why when the server ends the
 * stream. Events may still come between the socket closing and its close handler ending the
 * subscription: a closed socket is left alone.
 */
final class WebSocketTransport implements EventFeed.Transport {

  private static final short NORMAL_CLOSURE = 1000;
  private static final short POLICY_VIOLATION = 1008;

  private final ServerWebSocket ws;

  WebSocketTransport(ServerWebSocket ws) {
    this.ws = ws;
  }

  @Override
  public Buffer event(Event event) {
    return new JsonObject().put("type", "event").mergeIn(event.toJson()).toBuffer();
  }

  @Override
  public Buffer reset(long lastEventId) {
    return new JsonObject().put("type", "reset").mergeIn(EventFrames.reset(lastEventId)).toBuffer();
  }

  @Override
  public void write(Buffer frame) {
    if (!ws.isClosed()) {
      ws.writeTextMessage(frame.toString());
    }
  }

  @Override
  public boolean writeQueueFull() {
    return !ws.isClosed() && ws.writeQueueFull();
  }

  @Override
  public void drainHandler(Handler<Void> handler) {
    ws.drainHandler(handler);
  }

  @Override
  public void ping() {
    if (!ws.isClosed()) {
      ws.writePing(Buffer.buffer());
    }
  }

  @Override
  public void disconnect() {
    close(POLICY_VIOLATION, "the client did not keep up with its events");
  }

  @Override
  public void end(String reason) {
    close(NORMAL_CLOSURE, reason);
  }

  private void close(short code, String reason) {
    if (!ws.isClosed()) {
      ws.close(code, reason);
    }
  }
}
