package dev.homelab.core.events.impl;

import dev.homelab.core.HomelabException;
import dev.homelab.core.ValidationException;
import dev.homelab.core.events.Event;
import dev.homelab.core.events.EventHub;
import dev.homelab.core.events.EventHubOptions;
import dev.homelab.core.events.EventSubscription;
import dev.homelab.core.events.Visibility;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.MessageCodec;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * {@link EventHub} on the local event bus. Ids are assigned on the hub's own context, so
 * publications from any thread are numbered and sent in one order without locks.
 */
public final class LocalEventHub implements EventHub {

  private static final String CODEC_NAME = "homelab-event-local";
  private static final Pattern TOPIC = Pattern.compile("[a-z0-9][a-z0-9._-]{0,127}");

  /** Every event is also sent here, for subscribers to all topics. */
  private static final String ALL_TOPICS = "*";

  private final Vertx vertx;
  private final Context context;
  private final String prefix;
  private final DeliveryOptions delivery =
      new DeliveryOptions().setCodecName(CODEC_NAME).setLocalOnly(true);
  private final Set<MessageConsumer<Event>> consumers = ConcurrentHashMap.newKeySet();
  private volatile long lastId;
  private volatile boolean closed;
  private final int replaySize;
  // Per topic, the newest events and the id of the last one dropped; guarded by themselves.
  private final Map<String, ArrayDeque<Event>> buffers = new HashMap<>();
  private final Map<String, Long> dropped = new HashMap<>();

  public LocalEventHub(Vertx vertx, EventHubOptions options) {
    this.vertx = vertx;
    this.replaySize = options.getReplayBufferSize();
    this.context = vertx.getOrCreateContext();
    this.prefix = options.getAddressPrefix();
    registerCodec(vertx);
  }

  private static void registerCodec(Vertx vertx) {
    try {
      vertx.eventBus().registerCodec(new EventCodec());
    } catch (IllegalStateException alreadyRegistered) {
      // Another hub on this Vert.x registered it: the codec is stateless, one is enough.
    }
  }

  @Override
  public Future<Event> publish(String topic, JsonObject payload, Visibility visibility) {
    if (topic == null || !TOPIC.matcher(topic).matches()) {
      return Future.failedFuture(
          new ValidationException(
              "topic", "topic must be 1 to 128 characters of a-z, 0-9, '.', '-' or '_'"));
    }
    JsonObject copy = payload.copy();
    Promise<Event> promise = Promise.promise();
    context.runOnContext(
        v -> {
          if (closed) {
            promise.fail(new HomelabException("the event hub is closed", true));
            return;
          }
          Instant now = Instant.now();
          long micros = now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
          long id = Math.max(lastId + 1, micros);
          lastId = id;
          Event event = new Event(id, topic, now, visibility, copy);
          keep(event); // before delivery: a reader that subscribed, then replays, misses nothing
          vertx.eventBus().publish(prefix + topic, event, delivery);
          vertx.eventBus().publish(prefix + ALL_TOPICS, event, delivery);
          promise.complete(event);
        });
    return promise.future();
  }

  @Override
  public EventSubscription subscribe(Collection<String> topics, Handler<Event> handler) {
    if (closed) {
      throw new HomelabException("the event hub is closed", true);
    }
    for (String topic : topics) {
      if (topic == null || !TOPIC.matcher(topic).matches()) {
        throw new ValidationException("topics", "invalid topic: " + topic);
      }
    }
    Collection<String> addresses = topics.isEmpty() ? List.of(ALL_TOPICS) : Set.copyOf(topics);
    List<MessageConsumer<Event>> mine = new ArrayList<>(addresses.size());
    for (String address : addresses) {
      MessageConsumer<Event> consumer =
          vertx
              .eventBus()
              .localConsumer(prefix + address, message -> handler.handle(message.body()));
      consumers.add(consumer);
      mine.add(consumer);
    }
    return () -> {
      List<Future<Void>> done = new ArrayList<>(mine.size());
      for (MessageConsumer<Event> consumer : mine) {
        consumers.remove(consumer);
        done.add(consumer.unregister());
      }
      return Future.all(done).mapEmpty();
    };
  }

  private void keep(Event event) {
    synchronized (buffers) {
      if (replaySize == 0) {
        dropped.put(event.topic(), event.id());
        return;
      }
      ArrayDeque<Event> buffer = buffers.computeIfAbsent(event.topic(), t -> new ArrayDeque<>());
      buffer.addLast(event);
      if (buffer.size() > replaySize) {
        dropped.put(event.topic(), buffer.removeFirst().id());
      }
    }
  }

  @Override
  public Replay replay(Collection<String> topics, long afterId) {
    List<Event> events = new ArrayList<>();
    boolean complete = true;
    synchronized (buffers) {
      Collection<String> wanted = topics.isEmpty() ? Set.copyOf(buffers.keySet()) : topics;
      if (topics.isEmpty()) {
        // Every topic: a topic whose whole buffer was dropped still counts.
        for (Long drop : dropped.values()) {
          complete &= drop <= afterId;
        }
      }
      for (String topic : wanted) {
        complete &= dropped.getOrDefault(topic, 0L) <= afterId;
        ArrayDeque<Event> buffer = buffers.get(topic);
        if (buffer != null) {
          for (Event e : buffer) {
            if (e.id() > afterId) {
              events.add(e);
            }
          }
        }
      }
    }
    events.sort(java.util.Comparator.comparingLong(Event::id));
    return new Replay(List.copyOf(events), complete);
  }

  @Override
  public long lastId() {
    return lastId;
  }

  @Override
  public Future<Void> close() {
    closed = true;
    List<Future<Void>> done = new ArrayList<>();
    for (MessageConsumer<Event> consumer : consumers) {
      done.add(consumer.unregister());
    }
    consumers.clear();
    return Future.all(done).mapEmpty();
  }

  /** Passes the immutable event by reference; it never leaves the JVM. */
  private static final class EventCodec implements MessageCodec<Event, Event> {
    @Override
    public void encodeToWire(io.vertx.core.buffer.Buffer buffer, Event event) {
      throw new IllegalStateException("events are local-only: they never cross the wire");
    }

    @Override
    public Event decodeFromWire(int pos, io.vertx.core.buffer.Buffer buffer) {
      throw new IllegalStateException("events are local-only: they never cross the wire");
    }

    @Override
    public Event transform(Event event) {
      return event;
    }

    @Override
    public String name() {
      return CODEC_NAME;
    }

    @Override
    public byte systemCodecID() {
      return -1;
    }
  }
}
