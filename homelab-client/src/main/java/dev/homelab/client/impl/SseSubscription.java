package dev.homelab.client.impl;

import dev.homelab.client.HomelabClientOptions;
import dev.homelab.client.HomelabConnectionException;
import dev.homelab.client.events.EventListener;
import dev.homelab.client.events.StreamEvent;
import dev.homelab.sse.SseEvent;
import dev.homelab.sse.SseException;
import dev.homelab.sse.SseReader;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * One subscription to {@code GET /api/events}: reads Server-Sent Events with the shared {@link
 * SseReader}, and resumes with {@code Last-Event-ID}. A record larger than the reader accepts drops
 * the connection, like any other loss.
 */
final class SseSubscription extends StreamSubscription {

  private final HttpClient http;
  private final String uri;
  private final Function<SseEvent, StreamEvent> decoder; // null: the server's own events
  private HttpClientResponse current;
  private SseReader reader; // the current response's

  SseSubscription(
      Vertx vertx,
      HomelabClientOptions options,
      HttpClient http,
      String uri,
      Supplier<String> credential,
      String lastEventId,
      EventListener listener,
      Consumer<StreamSubscription> onEnd) {
    this(vertx, options, http, uri, credential, lastEventId, listener, onEnd, null);
  }

  /**
   * A subscription to another stream of the server, such as an automation's log.
   *
   * @param decoder reads a record other than {@code reset} and {@code close} as the event to
   *     deliver, or {@code null} to skip it
   */
  SseSubscription(
      Vertx vertx,
      HomelabClientOptions options,
      HttpClient http,
      String uri,
      Supplier<String> credential,
      String lastEventId,
      EventListener listener,
      Consumer<StreamSubscription> onEnd,
      Function<SseEvent, StreamEvent> decoder) {
    super(vertx, options, credential, lastEventId, listener, onEnd);
    this.http = http;
    this.uri = uri;
    this.decoder = decoder;
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
    if (lastEventId() != null && !lastEventId().isEmpty()) {
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
                      Transport.retryAfter(response.getHeader("Retry-After"))));
      response.resume();
      return;
    }
    current = response;
    // A new stream starts with the id the subscription resumes from in effect, as the WHATWG
    // EventSource keeps it across reconnections.
    reader = new SseReader(SseReader.DEFAULT_MAX_RECORD_SIZE, lastEventId(), this::dispatch);
    opened();
    // Handlers stay on a connection after its stream: each acts only while its response is the
    // subscription's current one.
    response.handler(chunk -> read(response, chunk));
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

  private void read(HttpClientResponse response, Buffer chunk) {
    if (response != current || closed()) {
      return;
    }
    try {
      reader.handle(chunk);
    } catch (SseException e) {
      lost(response, new HomelabConnectionException(e.getMessage(), e));
    }
  }

  private void dispatch(SseEvent event) {
    if (closed()) {
      return;
    }
    if ("reset".equals(event.type())) {
      reset();
      return;
    }
    if ("close".equals(event.type())) {
      return; // the server ends the stream next, saying why; the end handler reconnects
    }
    if (decoder == null) {
      deliver(StreamEvent.fromSse(event.id(), new JsonObject(event.data())));
      return;
    }
    StreamEvent decoded = decoder.apply(event);
    if (decoded != null) {
      deliver(decoded);
    }
  }
}
