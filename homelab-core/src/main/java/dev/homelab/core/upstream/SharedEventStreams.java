package dev.homelab.core.upstream;

import dev.homelab.core.upstream.SharedEventStream.Subscriber;
import dev.homelab.core.upstream.SharedEventStream.Subscription;
import dev.homelab.core.upstream.impl.SharedEventStreamImpl;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * One {@link SharedEventStream} per source, such as per automation: subscribers of the same key
 * share one stream and so one upstream connection; a key's stream is created by its first
 * subscriber and forgotten, its connection closed, when its last subscriber leaves.
 *
 * <p>Thread-safe: {@link #subscribe} and the counters may be called from any thread. Each stream
 * lives on the context that was current when its first subscriber came (a new event-loop context if
 * none was), as {@link SharedEventStream} says.
 *
 * @param <K> the key, with {@code equals} and {@code hashCode}, such as an automation's name
 */
public final class SharedEventStreams<K> {

  private final Vertx vertx;
  private final String name;
  private final SharedEventStreamOptions options;
  private final Function<K, SharedEventStream.Upstream> upstreams;
  private final ConcurrentHashMap<K, SharedEventStreamImpl> streams = new ConcurrentHashMap<>();
  private final AtomicLong retiredConnections = new AtomicLong();
  private final AtomicLong retiredReconnects = new AtomicLong();
  private final AtomicLong retiredDropped = new AtomicLong();
  private volatile boolean closed;

  private SharedEventStreams(
      Vertx vertx,
      String name,
      SharedEventStreamOptions options,
      Function<K, SharedEventStream.Upstream> upstreams) {
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.name = Objects.requireNonNull(name, "name");
    this.options = new SharedEventStreamOptions(options);
    this.upstreams = Objects.requireNonNull(upstreams, "upstreams");
  }

  /**
   * Creates an empty registry.
   *
   * @param vertx the Vert.x instance
   * @param name the name for logs; a stream is named after it and its key
   * @param options the options of every stream; copied
   * @param upstreams gives the way to open a key's upstream
   * @param <K> the key type
   * @return the registry
   */
  public static <K> SharedEventStreams<K> create(
      Vertx vertx,
      String name,
      SharedEventStreamOptions options,
      Function<K, SharedEventStream.Upstream> upstreams) {
    return new SharedEventStreams<>(vertx, name, options, upstreams);
  }

  /**
   * Subscribes to the key's stream, creating it (and so opening its upstream) if it has none.
   *
   * @param key the source
   * @param subscriber what to tell, as in {@link SharedEventStream#subscribe}
   * @return the subscription; cancelling the last one of a key forgets its stream
   * @throws IllegalStateException if the registry is closed
   */
  public Subscription subscribe(K key, Subscriber subscriber) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(subscriber, "subscriber");
    if (closed) {
      throw new IllegalStateException(name + ": closed");
    }
    Subscription[] subscription = new Subscription[1];
    // Subscribing inside compute orders it with the removal of an idle stream (also a compute on
    // the key): a stream is either found with its new subscriber or replaced, never both.
    streams.compute(
        key,
        (k, stream) -> {
          SharedEventStreamImpl live = stream;
          if (live == null) {
            live = newStream(k);
          }
          subscription[0] = live.subscribe(subscriber);
          return live;
        });
    return subscription[0];
  }

  private SharedEventStreamImpl newStream(K key) {
    SharedEventStreamImpl[] created = new SharedEventStreamImpl[1];
    created[0] =
        new SharedEventStreamImpl(
            vertx, name + " " + key, options, upstreams.apply(key), () -> retire(key, created[0]));
    return created[0];
  }

  /** The stream's last subscriber left: forget it unless one came back meanwhile. */
  private void retire(K key, SharedEventStreamImpl stream) {
    boolean[] removed = new boolean[1];
    streams.computeIfPresent(
        key,
        (k, current) -> {
          if (current == stream && current.subscribers() == 0) {
            removed[0] = true;
            return null;
          }
          return current;
        });
    if (removed[0]) {
      stream.close();
      retiredConnections.addAndGet(stream.connectionsOpened());
      retiredReconnects.addAndGet(stream.reconnects());
      retiredDropped.addAndGet(stream.droppedSubscribers());
    }
  }

  /**
   * @param key a source
   * @return its stream, for its counters, or {@code null} when it has no subscriber
   */
  public SharedEventStream stream(K key) {
    return streams.get(key);
  }

  /**
   * @return how many keys have a stream now
   */
  public int streams() {
    return streams.size();
  }

  /**
   * @return subscribers of all streams now
   */
  public int subscribers() {
    int total = 0;
    for (SharedEventStreamImpl stream : streams.values()) {
      total += stream.subscribers();
    }
    return total;
  }

  /**
   * @return upstream connections opened so far by all streams, forgotten ones included
   */
  public long connectionsOpened() {
    long total = retiredConnections.get();
    for (SharedEventStreamImpl stream : streams.values()) {
      total += stream.connectionsOpened();
    }
    return total;
  }

  /**
   * @return reconnections so far by all streams, forgotten ones included
   */
  public long reconnects() {
    long total = retiredReconnects.get();
    for (SharedEventStreamImpl stream : streams.values()) {
      total += stream.reconnects();
    }
    return total;
  }

  /**
   * @return subscribers dropped so far by all streams, forgotten ones included
   */
  public long droppedSubscribers() {
    long total = retiredDropped.get();
    for (SharedEventStreamImpl stream : streams.values()) {
      total += stream.droppedSubscribers();
    }
    return total;
  }

  /**
   * Closes every stream, dropping their subscribers with {@link
   * SharedEventStream.DropReason#CLOSED}, and refuses new subscribers.
   *
   * @return completes once every stream is closed
   */
  public Future<Void> close() {
    closed = true;
    List<Future<Void>> closing = new ArrayList<>();
    for (SharedEventStreamImpl stream : streams.values()) {
      closing.add(stream.close());
    }
    return Future.all(closing).mapEmpty();
  }
}
