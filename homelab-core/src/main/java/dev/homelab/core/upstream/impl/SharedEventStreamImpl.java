package dev.homelab.core.upstream.impl;

import dev.homelab.core.ErrorKind;
import dev.homelab.core.upstream.SharedEventStream;
import dev.homelab.core.upstream.SharedEventStreamOptions;
import dev.homelab.core.upstream.UpstreamException;
import dev.homelab.sse.SseEvent;
import dev.homelab.sse.SseException;
import dev.homelab.sse.SseReader;
import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.streams.ReadStream;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link SharedEventStream}: a connection state machine and the subscribers' queues, all
 * mutated on one context. The subscriber set is concurrent so that subscribing and leaving work
 * from any thread and the count is exact at once (the keyed registry relies on that); everything
 * else is handed to the context.
 */
public final class SharedEventStreamImpl implements SharedEventStream {

  private static final Logger log = LoggerFactory.getLogger(SharedEventStreamImpl.class);

  private enum State {
    IDLE,
    CONNECTING,
    OPEN,
    WAITING
  }

  private final Vertx vertx;
  private final Context context;
  private final String name;
  private final SharedEventStreamOptions options;
  private final Upstream upstream;
  private final Runnable onIdle;
  private final Backoff backoff;
  private final Set<SubscriptionImpl> subscribers = ConcurrentHashMap.newKeySet();
  private final AtomicLong connectionsOpened = new AtomicLong();
  private final AtomicLong reconnects = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();
  private volatile boolean closed;
  private volatile boolean connected;

  // Owned by the context.
  private State state = State.IDLE;
  private long generation;
  private HttpClientResponse response;
  private SseReader reader;
  private long timer = -1;
  private int failures;
  private long retryHintMs = -1;
  private String lastEventId;

  /**
   * @param vertx the Vert.x instance
   * @param name the name for logs
   * @param options the options, copied
   * @param upstream opens a connection
   * @param onIdle called, on any thread, each time the last subscriber leaves; or {@code null}
   */
  public SharedEventStreamImpl(
      Vertx vertx,
      String name,
      SharedEventStreamOptions options,
      Upstream upstream,
      Runnable onIdle) {
    this.vertx = vertx;
    this.context = vertx.getOrCreateContext();
    this.name = name;
    this.options = new SharedEventStreamOptions(options);
    this.upstream = upstream;
    this.onIdle = onIdle;
    this.backoff =
        new Backoff(
            this.options.getInitialBackoff(),
            this.options.getMaxBackoff(),
            this.options.getJitter(),
            this.options.getRandom());
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public Subscription subscribe(Subscriber subscriber) {
    if (subscriber == null) {
      throw new IllegalArgumentException("subscriber must not be null");
    }
    if (closed) {
      throw new IllegalStateException(name + ": the stream is closed");
    }
    SubscriptionImpl subscription = new SubscriptionImpl(subscriber);
    subscribers.add(subscription);
    if (closed) {
      // Closed while it was being added: close() may have missed it, so it is dropped here.
      onContext(() -> subscription.drop(DropReason.CLOSED, null));
    } else {
      onContext(
          () -> {
            if (state == State.OPEN) {
              // Joining a stream already open: say so, as the others heard when it opened.
              subscription.status(Status.CONNECTED);
            }
            wake();
          });
    }
    return subscription;
  }

  @Override
  public int subscribers() {
    return subscribers.size();
  }

  @Override
  public long connectionsOpened() {
    return connectionsOpened.get();
  }

  @Override
  public long reconnects() {
    return reconnects.get();
  }

  @Override
  public long droppedSubscribers() {
    return dropped.get();
  }

  @Override
  public boolean isConnected() {
    return connected;
  }

  /**
   * @return whether it was closed
   */
  public boolean isClosed() {
    return closed;
  }

  @Override
  public Future<Void> close() {
    closed = true;
    Promise<Void> done = Promise.promise();
    onContext(
        () -> {
          disconnect();
          state = State.IDLE;
          for (SubscriptionImpl subscription : List.copyOf(subscribers)) {
            subscription.drop(DropReason.CLOSED, null);
          }
          done.complete();
        });
    return done.future();
  }

  private void onContext(Runnable action) {
    if (Vertx.currentContext() == context) {
      action.run();
    } else {
      context.runOnContext(v -> action.run());
    }
  }

  /** Opens the upstream if someone is waiting for it and nothing is under way. */
  private void wake() {
    if (!closed && state == State.IDLE && !subscribers.isEmpty()) {
      connect(false);
    }
  }

  /** Called when a subscriber left: closes the upstream once nobody is left. */
  private void left() {
    if (subscribers.isEmpty()) {
      if (onIdle != null) {
        onIdle.run();
      }
      onContext(
          () -> {
            if (subscribers.isEmpty() && state != State.IDLE) {
              log.debug("{}: no subscriber left, closing the upstream stream", name);
              disconnect();
              state = State.IDLE;
            }
          });
    }
  }

  private void connect(boolean reconnect) {
    if (reconnect) {
      reconnects.incrementAndGet();
    }
    state = State.CONNECTING;
    long attempt = ++generation;
    Future<HttpClientResponse> opening;
    try {
      opening = upstream.open(lastEventId);
    } catch (RuntimeException e) {
      opening = Future.failedFuture(e);
    }
    opening.onComplete(result -> onContext(() -> opened(attempt, result)));
  }

  private void opened(long attempt, AsyncResult<HttpClientResponse> result) {
    if (attempt != generation || state != State.CONNECTING) {
      if (result.succeeded()) {
        discard(result.result()); // nobody wants it any more
      }
      return;
    }
    if (result.failed()) {
      Throwable cause = result.cause();
      if (refusal(cause)) {
        refuse(cause);
      } else {
        lost(attempt, cause);
      }
      return;
    }
    HttpClientResponse opened = result.result();
    response = opened;
    state = State.OPEN;
    connected = true;
    connectionsOpened.incrementAndGet();
    reader =
        new SseReader(
            options.getMaxRecordSize(),
            lastEventId,
            new SseReader.Listener() {
              @Override
              public void onEvent(SseEvent event) {
                failures = 0; // the stream works: the next loss starts the backoff again
                fanOut(event);
              }

              @Override
              public void onRetry(long retryMs) {
                retryHintMs = retryMs;
              }

              @Override
              public void onComment(String comment) {
                failures = 0;
              }
            });
    SseReader current = reader;
    // A host that lost power or a network that drops packets closes nothing: a connection that
    // delivers nothing for the read-idle timeout fails like a lost one and is reopened.
    Duration idle = options.getReadIdleTimeout();
    ReadStream<Buffer> body =
        idle.isZero()
            ? opened
            : new StreamedBody(vertx, name, opened, new UpstreamHttp.ReadIdle(idle, 1));
    body.handler(
        chunk ->
            onContext(
                () -> {
                  if (attempt != generation) {
                    return;
                  }
                  try {
                    current.handle(chunk);
                  } catch (SseException e) {
                    lost(attempt, e);
                  }
                }));
    body.exceptionHandler(e -> onContext(() -> lost(attempt, e)));
    body.endHandler(v -> onContext(() -> lost(attempt, null)));
    for (SubscriptionImpl subscription : subscribers) {
      subscription.status(Status.CONNECTED);
    }
    body.resume();
  }

  private void fanOut(SseEvent event) {
    for (SubscriptionImpl subscription : subscribers) {
      subscription.deliver(event);
    }
  }

  /** The connection ended, broke or could not be opened: try again after the backoff. */
  private void lost(long attempt, Throwable cause) {
    if (attempt != generation) {
      return; // an older connection, already replaced
    }
    if (reader != null && reader.lastEventId() != null) {
      lastEventId = reader.lastEventId();
    }
    disconnect();
    if (closed || subscribers.isEmpty()) {
      state = State.IDLE;
      return;
    }
    long delay =
        retryHintMs >= 0
            ? backoff.delayMillis(retryHintMs, failures)
            : backoff.delayMillis(failures);
    failures = failures == Integer.MAX_VALUE ? failures : failures + 1;
    log.info("{}: upstream stream {}, reconnecting in {} ms", name, describe(cause), delay);
    state = State.WAITING;
    long waiting = generation;
    timer =
        vertx.setTimer(
            delay,
            id ->
                onContext(
                    () -> {
                      if (state == State.WAITING && waiting == generation) {
                        timer = -1;
                        if (subscribers.isEmpty() || closed) {
                          state = State.IDLE;
                        } else {
                          connect(true);
                        }
                      }
                    }));
    for (SubscriptionImpl subscription : subscribers) {
      subscription.status(Status.RECONNECTING);
    }
  }

  /** The upstream refused for good: nothing to retry, tell everyone. */
  private void refuse(Throwable cause) {
    log.info("{}: upstream refused the stream: {}", name, describe(cause));
    disconnect();
    state = State.IDLE;
    for (SubscriptionImpl subscription : List.copyOf(subscribers)) {
      subscription.drop(DropReason.REFUSED, cause);
    }
  }

  /** Forgets the current connection, closing it, and cancels a pending reconnection. */
  private void disconnect() {
    generation++;
    connected = false;
    if (timer >= 0) {
      vertx.cancelTimer(timer);
      timer = -1;
    }
    if (response != null) {
      discard(response);
      response = null;
    }
    reader = null;
    if (subscribers.isEmpty()) {
      // A new session does not resume the old one: a new subscriber wants what comes next.
      lastEventId = null;
      failures = 0;
      retryHintMs = -1;
    }
  }

  private static void discard(HttpClientResponse response) {
    // Resetting an HTTP/1.1 request whose response is still streaming closes its connection.
    response.request().reset();
  }

  private static boolean refusal(Throwable cause) {
    if (cause instanceof UpstreamException upstream
        && upstream.kind() == ErrorKind.UPSTREAM_ERROR) {
      int status = upstream.upstreamStatus();
      return status >= 400 && status < 500 && status != 408 && status != 429;
    }
    return false;
  }

  /** A cause for the log: upstream failures carry safe messages; others may name the host. */
  private static String describe(Throwable cause) {
    if (cause == null) {
      return "ended";
    }
    if (cause instanceof UpstreamException || cause instanceof SseException) {
      return "failed: " + cause.getMessage();
    }
    return "failed: " + cause.getClass().getSimpleName();
  }

  /** One subscriber: its buffer and demand, owned by the context. */
  private final class SubscriptionImpl implements Subscription {

    private final Subscriber subscriber;
    private final ArrayDeque<SseEvent> buffer = new ArrayDeque<>();
    private long demand = Long.MAX_VALUE;
    private final AtomicBoolean active = new AtomicBoolean(true);

    SubscriptionImpl(Subscriber subscriber) {
      this.subscriber = subscriber;
    }

    void deliver(SseEvent event) {
      if (!active.get()) {
        return;
      }
      if (demand > 0 && buffer.isEmpty()) {
        consume(event);
      } else if (buffer.size() >= options.getSubscriberBufferSize()) {
        drop(DropReason.TOO_SLOW, null);
      } else {
        buffer.add(event);
      }
    }

    void status(Status status) {
      if (!active.get()) {
        return;
      }
      try {
        subscriber.onStatus(status);
      } catch (RuntimeException e) {
        drop(DropReason.FAILED, e);
      }
    }

    private void consume(SseEvent event) {
      if (demand != Long.MAX_VALUE) {
        demand--;
      }
      try {
        subscriber.onEvent(event);
      } catch (RuntimeException e) {
        log.warn("{}: a subscriber failed on an event and is dropped", name, e);
        drop(DropReason.FAILED, e);
      }
    }

    private void drain() {
      while (active.get() && demand > 0 && !buffer.isEmpty()) {
        consume(buffer.poll());
      }
    }

    void drop(DropReason reason, Throwable cause) {
      if (!active.compareAndSet(true, false)) {
        return;
      }
      buffer.clear();
      subscribers.remove(this);
      dropped.incrementAndGet();
      if (reason == DropReason.TOO_SLOW) {
        log.debug("{}: a subscriber did not keep up and is dropped", name);
      }
      try {
        subscriber.onDropped(reason, cause);
      } catch (RuntimeException e) {
        log.warn("{}: a subscriber's drop handler failed", name, e);
      }
      left();
    }

    @Override
    public void pause() {
      onContext(() -> demand = 0);
    }

    @Override
    public void resume() {
      onContext(
          () -> {
            demand = Long.MAX_VALUE;
            drain();
          });
    }

    @Override
    public void fetch(long amount) {
      if (amount < 1) {
        throw new IllegalArgumentException("amount must be at least 1");
      }
      onContext(
          () -> {
            demand = demand > Long.MAX_VALUE - amount ? Long.MAX_VALUE : demand + amount;
            drain();
          });
    }

    @Override
    public void cancel() {
      if (active.compareAndSet(true, false) && subscribers.remove(this)) {
        onContext(buffer::clear);
        left();
      }
    }

    @Override
    public boolean isActive() {
      return active.get();
    }
  }
}
