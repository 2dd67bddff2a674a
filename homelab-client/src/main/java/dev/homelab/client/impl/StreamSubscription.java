package dev.homelab.client.impl;

import dev.homelab.client.HomelabClientOptions;
import dev.homelab.client.HomelabHttpException;
import dev.homelab.client.events.EventListener;
import dev.homelab.client.events.EventSubscription;
import dev.homelab.client.events.StreamEvent;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * What every event subscription does whatever carries it: connects in the background, reconnects
 * with backoff (the options' reconnect delay, doubling up to their maximum; 0.5 s up to 30 s by
 * default) resuming after the last event delivered, and stops for good when closed or refused.
 * Everything runs on one context, so the listener is called one event at a time.
 */
abstract class StreamSubscription implements EventSubscription {

  final Vertx vertx;
  final Supplier<String> credential;
  final EventListener listener;
  private final Context context;
  private final Consumer<StreamSubscription> onEnd;
  private volatile String lastEventId;
  private volatile boolean closed;
  private final long firstDelayMs;
  private final long maxDelayMs;
  private long delay;

  StreamSubscription(
      Vertx vertx,
      HomelabClientOptions options,
      Supplier<String> credential,
      String lastEventId,
      EventListener listener,
      Consumer<StreamSubscription> onEnd) {
    this.vertx = vertx;
    this.context = vertx.getOrCreateContext();
    this.credential = credential;
    this.lastEventId = lastEventId;
    this.listener = listener;
    this.onEnd = onEnd;
    this.maxDelayMs = options.getMaxReconnectDelayMs();
    this.firstDelayMs = Math.min(options.getReconnectDelayMs(), maxDelayMs);
    this.delay = firstDelayMs;
  }

  /**
   * Starts connecting, on the subscription's context; called once constructed, so that no other
   * thread sees it half built.
   *
   * @return this subscription
   */
  final StreamSubscription start() {
    context.runOnContext(v -> connect());
    return this;
  }

  /** Makes one connection attempt; its outcome calls {@link #opened}, {@link #lost} or another. */
  abstract void connect();

  /** Drops the current connection, if there is one. */
  abstract void disconnect();

  @Override
  public final String lastEventId() {
    return lastEventId;
  }

  @Override
  public final Future<Void> close() {
    Promise<Void> done = Promise.promise();
    context.runOnContext(
        v -> {
          if (!closed) {
            closed = true;
            disconnect();
            onEnd.accept(this);
            listener.onClosed();
          }
          done.complete();
        });
    return done.future();
  }

  final boolean closed() {
    return closed;
  }

  /** The owning client was closed under the subscription: nothing more to do. */
  final void clientClosed() {
    closed = true;
    listener.onClosed();
  }

  /** A connection is up: the next loss starts the backoff again from its first delay. */
  final void opened() {
    delay = firstDelayMs;
    listener.onOpen();
  }

  /**
   * The server answered the connection with an error: a refusal for good (401, 403, 422) ends the
   * subscription; a busy or failing server (429, 5xx) is tried again.
   */
  final void refused(int status, String body, String requestId, long retryAfterSeconds) {
    if (closed) {
      return; // closed while the answer was read: onClosed has been the last call
    }
    HomelabHttpException failure =
        HomelabHttpException.of(status, body, requestId, retryAfterSeconds);
    if (status == 429 || status >= 500) {
      // Not sooner than the server asks, when it says.
      delay = Math.max(delay, Math.min(retryAfterSeconds * 1000, maxDelayMs));
      retry(failure);
    } else {
      closed = true;
      onEnd.accept(this);
      listener.onFailure(failure);
    }
  }

  /** Schedules the next attempt, unless the subscription is closed. */
  final void retry(Throwable cause) {
    if (closed) {
      return;
    }
    long wait = delay;
    delay = Math.min(delay * 2, maxDelayMs);
    listener.onReconnecting(cause, wait);
    vertx.setTimer(wait, t -> connect());
  }

  final void deliver(StreamEvent event) {
    if (closed) {
      return;
    }
    if (event.id() != null) {
      lastEventId = event.id();
    }
    listener.onEvent(event);
  }

  final void reset() {
    if (!closed) {
      listener.onReset(lastEventId);
    }
  }
}
