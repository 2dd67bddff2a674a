package dev.homelab.core.upstream;

import dev.homelab.core.upstream.impl.SharedEventStreamImpl;
import dev.homelab.sse.SseEvent;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientResponse;

/**
 * One upstream Server-Sent Events connection shared by any number of subscribers (seed 003's "SSE
 * connection pooling"): the first subscriber opens it, every event goes to every subscriber, and it
 * is closed once the last subscriber leaves.
 *
 * <p><b>Reconnection.</b> When the upstream ends the stream, resets it, garbles it, or cannot be
 * reached, the stream reconnects after an exponential backoff with jitter ({@link
 * SharedEventStreamOptions}: 0.5 s doubling to at most 30 s by default, or the upstream's own
 * {@code retry:} if it sent one, within the same maximum), sending the id of the last event seen as
 * {@code Last-Event-ID} when the upstream uses ids. The backoff starts again from the initial delay
 * once a connection delivers an event or a comment. Subscribers stay subscribed across
 * reconnections; they may follow them with {@link Subscriber#onStatus}. An upstream that refuses
 * the stream for good (a 4xx other than 408 and 429: wrong credentials, no such source) drops every
 * subscriber with {@link DropReason#REFUSED} instead of being asked again.
 *
 * <p><b>Slow subscribers.</b> Each subscriber has a bounded buffer ({@link
 * SharedEventStreamOptions#getSubscriberBufferSize()}) that fills while it is {@linkplain
 * Subscription#pause() paused}. A subscriber whose buffer is full when an event arrives is dropped
 * ({@link DropReason#TOO_SLOW}); the upstream is never paused for it and the others are not
 * delayed.
 *
 * <p><b>Pass-through.</b> Events are the {@link SseEvent}s that {@link dev.homelab.sse.SseReader}
 * reads from the upstream: id, type and data as sent, never changed or re-encoded.
 *
 * <p><b>Threads.</b> The stream lives on the Vert.x context that was current when it was created (a
 * new event-loop context if none was). The upstream is opened, read and reconnected there, and
 * every {@link Subscriber} callback runs there, one at a time: callbacks must not block. {@link
 * #subscribe}, the {@link Subscription} methods, the counters and {@link #close()} may be called
 * from any thread.
 *
 * <p>For one stream per source, such as per automation, see {@link SharedEventStreams}.
 */
public interface SharedEventStream {

  /** Opens the upstream event stream, once per connection. */
  @FunctionalInterface
  interface Upstream {

    /**
     * Sends the request for the event stream, such as with {@code UpstreamHttp.open(...)}.
     *
     * @param lastEventId the id of the last event seen, to send as {@code Last-Event-ID}; {@code
     *     null} on a first connection or when the upstream sends no ids
     * @return the response, with a status below 400, paused so that no byte is lost before the
     *     stream reads it; a failure (preferably an {@link UpstreamException}) makes the stream
     *     retry or, for a refusal, give up
     */
    Future<HttpClientResponse> open(String lastEventId);
  }

  /** The state of the upstream connection, as told to subscribers. */
  enum Status {
    /** A connection to the upstream opened. */
    CONNECTED,
    /** The connection was lost; a new one will be tried after the backoff. */
    RECONNECTING
  }

  /** Why a subscriber was dropped. */
  enum DropReason {
    /** Its buffer was full when an event arrived: it did not keep up. */
    TOO_SLOW,
    /** Its {@link Subscriber#onEvent} threw. */
    FAILED,
    /** The upstream refused the stream for good (a 4xx other than 408 and 429). */
    REFUSED,
    /** The stream was closed. */
    CLOSED
  }

  /**
   * What a subscriber is told. All calls run on the stream's context, one at a time; after {@link
   * #onDropped} there are no more calls.
   */
  interface Subscriber {

    /**
     * The next event of the upstream, unmodified.
     *
     * @param event the event
     */
    void onEvent(SseEvent event);

    /**
     * The upstream connection opened or was lost. Does nothing by default: a subscriber that does
     * not care sees a reconnection only as a pause between events.
     *
     * @param status the new state
     */
    default void onStatus(Status status) {}

    /**
     * The subscriber was dropped and gets nothing more. Not called after {@link
     * Subscription#cancel()}. Does nothing by default.
     *
     * @param reason why
     * @param cause the failure behind {@link DropReason#FAILED} or {@link DropReason#REFUSED}, or
     *     {@code null}
     */
    default void onDropped(DropReason reason, Throwable cause) {}
  }

  /**
   * One subscriber's place in the stream, with its flow control. Its methods may be called from any
   * thread; their effect is applied on the stream's context.
   */
  interface Subscription {

    /** Stops delivery; events are buffered, up to the buffer size, after which it is dropped. */
    void pause();

    /** Delivers the buffered events and then every event as it arrives. */
    void resume();

    /**
     * Delivers up to {@code amount} more events, buffered ones first, then pauses again.
     *
     * @param amount how many, at least 1
     */
    void fetch(long amount);

    /** Leaves the stream; the last subscriber to leave closes the upstream connection. */
    void cancel();

    /**
     * @return whether it is still subscribed: neither cancelled nor dropped
     */
    boolean isActive();
  }

  /**
   * Like {@link #create(Vertx, String, SharedEventStreamOptions, Upstream)} with the default
   * options.
   *
   * @param vertx the Vert.x instance
   * @param name the upstream's name for logs, such as {@code automation logs kitchen}
   * @param upstream opens a connection
   * @return the stream, with no connection until the first subscriber
   */
  static SharedEventStream create(Vertx vertx, String name, Upstream upstream) {
    return create(vertx, name, new SharedEventStreamOptions(), upstream);
  }

  /**
   * Creates a stream on the current context (or a new event-loop context). Nothing is opened until
   * the first subscriber.
   *
   * @param vertx the Vert.x instance
   * @param name the upstream's name for logs, never a URL
   * @param options buffer, backoff and record limits; copied
   * @param upstream opens a connection
   * @return the stream
   */
  static SharedEventStream create(
      Vertx vertx, String name, SharedEventStreamOptions options, Upstream upstream) {
    return new SharedEventStreamImpl(vertx, name, options, upstream, null);
  }

  /**
   * @return the name given at creation
   */
  String name();

  /**
   * Subscribes; the first subscriber opens the upstream connection. Delivery starts flowing.
   *
   * @param subscriber what to tell
   * @return its subscription
   * @throws IllegalStateException if the stream is closed
   */
  Subscription subscribe(Subscriber subscriber);

  /**
   * @return how many subscribers it has now
   */
  int subscribers();

  /**
   * @return how many upstream connections opened so far (first ones and reconnections)
   */
  long connectionsOpened();

  /**
   * @return how many times a connection was tried again after one was lost or failed
   */
  long reconnects();

  /**
   * @return how many subscribers were dropped so far, for any {@link DropReason}
   */
  long droppedSubscribers();

  /**
   * @return whether an upstream connection is open now
   */
  boolean isConnected();

  /**
   * Closes the upstream connection, drops every subscriber with {@link DropReason#CLOSED}, and
   * refuses new ones.
   *
   * @return completes once done
   */
  Future<Void> close();
}
