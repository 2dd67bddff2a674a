package dev.homelab.client.impl;

import dev.homelab.client.EventListener;
import dev.homelab.client.HomelabConnectionException;
import dev.homelab.client.StreamEvent;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.parsetools.RecordParser;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * One subscription to {@code GET /api/events}: reads Server-Sent Events line by line with a {@link
 * RecordParser}, and resumes with {@code Last-Event-ID}.
 */
final class SseSubscription extends StreamSubscription {

  private final HttpClient http;
  private final String uri;
  private HttpClientResponse current;
  // The event being read: its fields until the blank line that ends it.
  private String id;
  private String type;
  private StringBuilder data;

  SseSubscription(
      Vertx vertx,
      HttpClient http,
      String uri,
      Supplier<String> credential,
      String lastEventId,
      EventListener listener,
      Consumer<StreamSubscription> onEnd) {
    super(vertx, credential, lastEventId, listener, onEnd);
    this.http = http;
    this.uri = uri;
  }

  @Override
  void disconnect() {
    if (current != null) {
      current.request().connection().close();
    }
  }

  @Override
  void connect() {
    if (closed()) {
      return;
    }
    RequestOptions options =
        new RequestOptions()
            .setMethod(HttpMethod.GET)
            .setURI(uri)
            .putHeader("Accept", "text/event-stream");
    String token = credential.get();
    if (token != null) {
      options.putHeader("Authorization", "Bearer " + token);
    }
    if (lastEventId() != null) {
      options.putHeader("Last-Event-ID", lastEventId());
    }
    Future<HttpClientResponse> sent;
    try {
      // Paused as soon as its head arrives, in the same turn: data that comes with the head would
      // otherwise be dropped before answered() sets its handlers (vert.x issue 5904).
      sent =
          http.request(options)
              .compose(request -> request.send().andThen(SseSubscription::pauseIfSent));
    } catch (IllegalStateException clientClosed) {
      clientClosed();
      return;
    }
    sent.onComplete(
        result -> {
          if (closed()) {
            if (result.succeeded()) {
              result.result().request().connection().close();
            }
            return;
          }
          if (result.failed()) {
            retry(new HomelabConnectionException("event stream connection failed", result.cause()));
            return;
          }
          answered(result.result());
        });
  }

  private static void pauseIfSent(AsyncResult<HttpClientResponse> sent) {
    if (sent.succeeded()) {
      sent.result().pause();
    }
  }

  private void answered(HttpClientResponse response) {
    int status = response.statusCode();
    if (status != 200) {
      response
          .body()
          .onComplete(
              body ->
                  refused(
                      status,
                      body.succeeded() ? body.result().toString() : "",
                      response.getHeader("X-Request-Id"),
                      HomelabClientImpl.retryAfter(response.getHeader("Retry-After"))));
      response.resume();
      return;
    }
    current = response;
    data = null;
    id = null;
    type = null;
    opened();
    // Handlers stay on a connection after its stream: each acts only while its response is the
    // subscription's current one.
    RecordParser lines =
        RecordParser.newDelimited(
            "\n",
            line -> {
              if (response == current) {
                line(line);
              }
            });
    response.handler(lines);
    response.exceptionHandler(e -> {}); // the end handler below reconnects
    response.endHandler(
        v -> lost(response, new HomelabConnectionException("event stream ended", null)));
    response.resume();
    response
        .request()
        .connection()
        .closeHandler(
            v -> lost(response, new HomelabConnectionException("event stream closed", null)));
  }

  private void lost(HttpClientResponse response, Throwable cause) {
    if (response != current) {
      return; // already handled (end and close both fire), or an older stream's connection
    }
    current = null;
    // A connection whose stream ended is not reused: the next stream gets a fresh one.
    response.request().connection().close();
    retry(cause);
  }

  private void line(Buffer buffer) {
    if (closed()) {
      return;
    }
    String line = buffer.toString();
    if (line.endsWith("\r")) {
      line = line.substring(0, line.length() - 1);
    }
    if (line.isEmpty()) {
      dispatch();
      return;
    }
    if (line.startsWith(":")) {
      return; // a comment: a ping
    }
    int colon = line.indexOf(':');
    String field = colon < 0 ? line : line.substring(0, colon);
    String value = colon < 0 ? "" : line.substring(colon + 1);
    if (value.startsWith(" ")) {
      value = value.substring(1);
    }
    switch (field) {
      case "id" -> id = value;
      case "event" -> type = value;
      case "data" -> {
        if (data == null) {
          data = new StringBuilder(value);
        } else {
          data.append('\n').append(value);
        }
      }
      default -> {} // retry and unknown fields are ignored
    }
  }

  private void dispatch() {
    String eventId = id;
    String eventType = type;
    StringBuilder eventData = data;
    id = null;
    type = null;
    data = null;
    if (eventData == null) {
      return;
    }
    if ("reset".equals(eventType)) {
      reset();
      return;
    }
    if ("close".equals(eventType)) {
      return; // the server ends the stream next, saying why; the end handler reconnects
    }
    deliver(StreamEvent.fromSse(eventId, new JsonObject(eventData.toString())));
  }
}
