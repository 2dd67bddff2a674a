package dev.homelab.core.upstream.impl;

import dev.homelab.core.upstream.UpstreamException;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.streams.ReadStream;

/**
 * The body of a streamed upstream answer (a picture, a clip, a chat), failed with {@link
 * UpstreamException#stalled} and its request reset when the upstream stops sending it: a host that
 * lost power or a network that drops packets closes nothing after the head, and a body waited for
 * without a bound would hold its connection and its caller for good. The bound is {@link
 * UpstreamHttp.ReadIdle}: at least {@code minBytes} in every {@code window} in which the body was
 * read. While its reader holds it paused (a caller slower than the upstream) nothing is judged: the
 * upstream is not the one waiting.
 *
 * <p>Handed over paused, like the response it wraps; its reader pipes it or {@link #cancel()}s it.
 * The response's handlers run on the upstream's context; flow control may be called from any thread
 * (a pipe into a server response calls it from the server's).
 */
public final class StreamedBody implements ReadStream<Buffer> {

  private final Vertx vertx;
  private final String upstream;
  private final HttpClientResponse response;
  private final UpstreamHttp.ReadIdle idle;
  private final long windowNanos;

  private volatile Handler<Buffer> handler;
  private volatile Handler<Throwable> exceptionHandler;
  private volatile Handler<Void> endHandler;

  // Guarded by this.
  private boolean paused = true;
  private boolean finished;
  private long windowStart;
  private long bytesInWindow;
  private long timer = -1;

  /**
   * Wraps a paused response; call on the context its handlers run on.
   *
   * @param vertx the Vert.x instance, for the timer
   * @param upstream the upstream's name, for the failure
   * @param response the paused response
   * @param idle the bound
   */
  StreamedBody(
      Vertx vertx, String upstream, HttpClientResponse response, UpstreamHttp.ReadIdle idle) {
    this.vertx = vertx;
    this.upstream = upstream;
    this.response = response;
    this.idle = idle;
    this.windowNanos = idle.window().toNanos();
    response.handler(this::chunk);
    response.exceptionHandler(this::failed);
    response.endHandler(this::ended);
    synchronized (this) {
      windowStart = System.nanoTime();
      timer = vertx.setTimer(idle.window().toMillis(), id -> check());
    }
  }

  /**
   * @return the response, for its status and headers (its body is this stream's)
   */
  public HttpClientResponse response() {
    return response;
  }

  /** Drops the rest of the body: the request is reset, and nothing more is read or told. */
  public void cancel() {
    if (finish()) {
      response.request().reset();
    }
  }

  private void chunk(Buffer chunk) {
    synchronized (this) {
      if (finished) {
        return;
      }
      bytesInWindow += chunk.length();
      if (bytesInWindow >= idle.minBytes()) {
        windowStart = System.nanoTime();
        bytesInWindow = 0;
      }
    }
    Handler<Buffer> current = handler;
    if (current != null) {
      current.handle(chunk);
    }
  }

  private void failed(Throwable failure) {
    if (finish()) {
      Handler<Throwable> current = exceptionHandler;
      if (current != null) {
        current.handle(failure);
      }
    }
  }

  private void ended(Void nothing) {
    if (finish()) {
      Handler<Void> current = endHandler;
      if (current != null) {
        current.handle(null);
      }
    }
  }

  /**
   * @return whether this call finished the body (and stopped the watch)
   */
  private synchronized boolean finish() {
    if (finished) {
      return false;
    }
    finished = true;
    if (timer >= 0) {
      vertx.cancelTimer(timer);
      timer = -1;
    }
    return true;
  }

  /** Runs when a window may have passed without progress; sets the next check if not. */
  private void check() {
    synchronized (this) {
      timer = -1;
      if (finished) {
        return;
      }
      long left = windowStart + windowNanos - System.nanoTime();
      if (paused || left > 0) {
        long millis = paused ? idle.window().toMillis() : left / 1_000_000;
        timer = vertx.setTimer(Math.max(1, millis), id -> check());
        return;
      }
    }
    failed(UpstreamException.stalled(upstream, idle.window(), idle.minBytes()));
    response.request().reset();
  }

  @Override
  public StreamedBody handler(Handler<Buffer> handler) {
    this.handler = handler;
    return this;
  }

  @Override
  public StreamedBody exceptionHandler(Handler<Throwable> handler) {
    this.exceptionHandler = handler;
    return this;
  }

  @Override
  public StreamedBody endHandler(Handler<Void> handler) {
    this.endHandler = handler;
    return this;
  }

  @Override
  public StreamedBody pause() {
    synchronized (this) {
      paused = true;
    }
    response.pause();
    return this;
  }

  @Override
  public StreamedBody resume() {
    reading();
    response.resume();
    return this;
  }

  /** Like {@link #resume()}: the window starts again when the reader asks for more. */
  @Override
  public StreamedBody fetch(long amount) {
    reading();
    response.fetch(amount);
    return this;
  }

  private synchronized void reading() {
    if (paused) {
      paused = false;
      windowStart = System.nanoTime();
      bytesInWindow = 0;
    }
  }
}
