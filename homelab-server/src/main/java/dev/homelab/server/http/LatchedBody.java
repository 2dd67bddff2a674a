package dev.homelab.server.http;

import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.streams.ReadStream;

/**
 * A request body (or one part of a multipart body) that does not lose the client's disconnect.
 * Vert.x reports a closed connection once, at once, to the exception handler set at that moment,
 * even while the body is paused with bytes of it still queued; and a body that has ended this way
 * never ends otherwise. A handler that first authorises or looks something up and only then starts
 * reading would either miss the close and wait forever, holding whatever it took (the lock of a
 * resumable upload), or hear of it before the bytes that did arrive. Wrapped as soon as the request
 * is seen, the failure is kept, and handed to the exception handler only once the reader is reading
 * and nothing queued is left for it (a turn of the event loop after it resumed, still resumed): the
 * bytes come first, then the failure.
 */
public final class LatchedBody implements ReadStream<Buffer> {

  private final ReadStream<Buffer> body;
  private final Context context;
  private Handler<Throwable> exceptionHandler;
  private Throwable failure;
  private boolean flowing;

  private LatchedBody(ReadStream<Buffer> body) {
    this.body = body;
    this.context = Vertx.currentContext();
    body.exceptionHandler(this::failed);
  }

  /**
   * Wraps a body; call it on the event loop of the request, before any asynchronous step.
   *
   * @param body the request or the part; it is paused
   * @return the same body, whose failure waits for its reader
   */
  public static LatchedBody of(ReadStream<Buffer> body) {
    body.pause();
    return new LatchedBody(body);
  }

  /**
   * Wraps a request's body, failed already if the client left before the request reached its
   * handler (while it was authenticated, for example): that close was reported to nobody.
   *
   * @param request the request, on its event loop, before any asynchronous step of its handler
   * @return its body
   */
  public static LatchedBody of(HttpServerRequest request) {
    LatchedBody body = of((ReadStream<Buffer>) request);
    if (request.response().closed()) {
      body.failed(new HttpClosedException("the client closed the connection"));
    }
    return body;
  }

  private void failed(Throwable cause) {
    if (failure == null) {
      failure = cause;
      deliverWhenDrained();
    }
  }

  /** Hands the failure over a turn after the reader resumed, if it is still reading then. */
  private void deliverWhenDrained() {
    if (failure != null && exceptionHandler != null && flowing) {
      context.runOnContext(
          v -> {
            Handler<Throwable> handler = exceptionHandler;
            Throwable cause = failure;
            if (cause != null && handler != null && flowing) {
              failure = null;
              exceptionHandler = null;
              handler.handle(cause);
            }
          });
    }
  }

  @Override
  public LatchedBody exceptionHandler(Handler<Throwable> handler) {
    exceptionHandler = handler;
    deliverWhenDrained();
    return this;
  }

  @Override
  public LatchedBody handler(Handler<Buffer> handler) {
    body.handler(handler);
    return this;
  }

  @Override
  public LatchedBody pause() {
    flowing = false;
    body.pause();
    return this;
  }

  @Override
  public LatchedBody resume() {
    flowing = true;
    body.resume();
    deliverWhenDrained();
    return this;
  }

  @Override
  public LatchedBody fetch(long amount) {
    flowing = amount > 0;
    body.fetch(amount);
    deliverWhenDrained();
    return this;
  }

  @Override
  public LatchedBody endHandler(Handler<Void> endHandler) {
    body.endHandler(endHandler);
    return this;
  }
}
