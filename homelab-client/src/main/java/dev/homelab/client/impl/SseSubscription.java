package dev.homelab.client.impl;

import dev.homelab.client.EventListener;
import dev.homelab.client.EventSubscription;
import dev.homelab.client.HomelabConnectionException;
import dev.homelab.client.HomelabHttpException;
import dev.homelab.client.StreamEvent;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.parsetools.RecordParser;
import java.util.function.Supplier;

/**
 * One subscription to {@code GET /api/events}: reads Server-Sent Events line by line with a {@link
 * RecordParser}, and reconnects with backoff, sending {@code Last-Event-ID}, until closed or
 * refused for good. Everything runs on one context, so the listener is called one event at a time.
 */
final class SseSubscription implements EventSubscription {

  static final long FIRST_DELAY_MS = 500;
  static final long MAX_DELAY_MS = 30_000;

  private final Vertx vertx;
  private final Context context;
  private final HttpClient http;
  private final String uri;
  private final Supplier<String> credential;
  private final EventListener listener;
  private final java.util.function.Consumer<SseSubscription> onEnd;
  private volatile String lastEventId;
  private volatile boolean closed;
  private long delay = FIRST_DELAY_MS;
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
      java.util.function.Consumer<SseSubscription> onEnd) {
    this.onEnd = onEnd;
    this.vertx = vertx;
    this.context = vertx.getOrCreateContext();
    this.http = http;
    this.uri = uri;
    this.credential = credential;
    this.lastEventId = lastEventId;
    this.listener = listener;
    context.runOnContext(v -> connect());
  }

  @Override
  public String lastEventId() {
    return lastEventId;
  }

  @Override
  public Future<Void> close() {
    Promise<Void> done = Promise.promise();
    context.runOnContext(
        v -> {
          if (!closed) {
            closed = true;
            if (current != null) {
              current.request().connection().close();
            }
            onEnd.accept(this);
            listener.onClosed();
          }
          done.complete();
        });
    return done.future();
  }

  private void connect() {
    if (closed) {
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
    if (lastEventId != null) {
      options.putHeader("Last-Event-ID", lastEventId);
    }
    Future<HttpClientResponse> sent;
    try {
      sent = http.request(options).compose(request -> request.send());
    } catch (IllegalStateException clientClosed) {
      closed = true; // the HomelabClient was closed: nothing more to do
      listener.onClosed();
      return;
    }
    sent.onComplete(
        result -> {
          if (closed) {
            if (result.succeeded()) {
              result.result().request().connection().close();
            }
            return;
          }
          if (result.failed()) {
            retry(new HomelabConnectionException("event stream connection failed", result.cause()));
            return;
          }
          opened(result.result());
        });
  }

  private void opened(HttpClientResponse response) {
    int status = response.statusCode();
    if (status != 200) {
      response
          .body()
          .onComplete(
              body -> {
                String text = body.succeeded() ? body.result().toString() : "";
                HomelabHttpException failure =
                    HomelabHttpException.of(status, text, response.getHeader("X-Request-Id"), -1);
                if (status == 429 || status >= 500) {
                  retry(failure);
                } else {
                  closed = true;
                  onEnd.accept(this);
                  listener.onFailure(failure);
                }
              });
      return;
    }
    current = response;
    delay = FIRST_DELAY_MS;
    data = null;
    id = null;
    type = null;
    listener.onOpen();
    RecordParser lines = RecordParser.newDelimited("\n", this::line);
    response.handler(lines);
    response.exceptionHandler(e -> {}); // the end handler below reconnects
    response.endHandler(v -> lost(new HomelabConnectionException("event stream ended", null)));
    response
        .request()
        .connection()
        .closeHandler(v -> lost(new HomelabConnectionException("event stream closed", null)));
  }

  private void lost(Throwable cause) {
    if (current == null) {
      return; // already handled (end and close both fire)
    }
    current = null;
    retry(cause);
  }

  private void retry(Throwable cause) {
    if (closed) {
      return;
    }
    long wait = delay;
    delay = Math.min(delay * 2, MAX_DELAY_MS);
    listener.onReconnecting(cause, wait);
    vertx.setTimer(wait, t -> connect());
  }

  private void line(Buffer buffer) {
    if (closed) {
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
      listener.onReset(lastEventId);
      return;
    }
    JsonObject json = new JsonObject(eventData.toString());
    if (eventId != null) {
      lastEventId = eventId;
    }
    listener.onEvent(StreamEvent.fromSse(eventId, json));
  }
}
