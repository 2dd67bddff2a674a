package dev.homelab.server.routes;

import dev.homelab.core.events.Event;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;

/**
 * Events as Server-Sent Events on a chunked response: {@code id:}, {@code event:} (the topic) and
 * {@code data:} (the event as JSON), a comment as ping, and a last {@code event: close} saying why
 * when the server ends the stream.
 */
final class SseTransport implements EventFeed.Transport {

  private static final Buffer PING = Buffer.buffer(": ping\n\n");

  private final HttpServerResponse response;
  private final HttpConnection connection;

  SseTransport(HttpServerResponse response, HttpConnection connection) {
    this.response = response;
    this.connection = connection;
  }

  @Override
  public Buffer event(Event event) {
    return Buffer.buffer(
        "id: "
            + event.id()
            + "\nevent: "
            + event.topic()
            + "\ndata: "
            + event.toJson().encode()
            + "\n\n");
  }

  @Override
  public Buffer reset(long lastEventId) {
    return Buffer.buffer("event: reset\ndata: " + EventFrames.reset(lastEventId).encode() + "\n\n");
  }

  @Override
  public void write(Buffer frame) {
    if (!response.ended()) {
      response.write(frame);
    }
  }

  @Override
  public boolean writeQueueFull() {
    return !response.ended() && response.writeQueueFull();
  }

  @Override
  public void drainHandler(Handler<Void> handler) {
    response.drainHandler(handler);
  }

  @Override
  public void ping() {
    write(PING);
  }

  @Override
  public void disconnect() {
    connection.close();
  }

  @Override
  public void end(String reason) {
    if (!response.ended()) {
      // The last frame says why; the client reconnects and resumes.
      response.end(
          "event: close\ndata: " + new JsonObject().put("reason", reason).encode() + "\n\n");
    }
  }
}
