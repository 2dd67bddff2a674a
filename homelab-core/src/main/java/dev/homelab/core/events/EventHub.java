package dev.homelab.core.events;

import dev.homelab.core.events.impl.LocalEventHub;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.Collection;
import java.util.Set;

/**
 * Named topics on the Vert.x event bus, in-process.
 *
 * <p>Ids increase with every publication, across topics, and subscribers receive events in id
 * order. Ids also increase across restarts: each starts from the current time in microseconds when
 * that is higher than the last id, so a client resuming after a restart never sees an id go back
 * (as long as the clock does not go back).
 *
 * <p>The hub may be used from any thread. Handlers run on the context that subscribed.
 */
public interface EventHub {

  /**
   * Like {@link #create(Vertx, EventHubOptions)} with default options.
   *
   * @param vertx the Vert.x instance whose event bus carries the events
   * @return a new hub
   */
  static EventHub create(Vertx vertx) {
    return create(vertx, new EventHubOptions());
  }

  /**
   * Creates an in-process hub.
   *
   * @param vertx the Vert.x instance whose event bus carries the events
   * @param options the hub's options; copied
   * @return a new hub
   */
  static EventHub create(Vertx vertx, EventHubOptions options) {
    return new LocalEventHub(vertx, new EventHubOptions(options));
  }

  /**
   * Publishes an event.
   *
   * @param topic the topic: lower-case letters, digits, dots, dashes and underscores
   * @param payload what happened; copied
   * @param visibility who may see it
   * @return the published event with its id, or a failed future if the topic is invalid or the hub
   *     is closed
   */
  Future<Event> publish(String topic, JsonObject payload, Visibility visibility);

  /**
   * Like {@link #publish(String, JsonObject, Visibility)} for every authenticated user.
   *
   * @param topic the topic
   * @param payload what happened; copied
   * @return the published event
   */
  default Future<Event> publish(String topic, JsonObject payload) {
    return publish(topic, payload, Visibility.everyone());
  }

  /**
   * Subscribes to some topics.
   *
   * @param topics the topics to receive; empty for every topic
   * @param handler called with each event, on the caller's context
   * @return a handle to cancel the subscription
   */
  EventSubscription subscribe(Collection<String> topics, Handler<Event> handler);

  /**
   * Like {@link #subscribe(Collection, Handler)} for every topic.
   *
   * @param handler called with each event
   * @return a handle to cancel the subscription
   */
  default EventSubscription subscribeAll(Handler<Event> handler) {
    return subscribe(Set.of(), handler);
  }

  /**
   * The events kept for replay that came after an id, so that a stream can resume where it stopped.
   * Subscribe first, then replay, and drop live events whose id is not above the last replayed one:
   * nothing is missed and nothing is delivered twice.
   *
   * @param topics the topics; empty for every topic
   * @param afterId the id of the last event the reader received
   * @return the kept events with a higher id, oldest first, and whether they are all of them (false
   *     when a topic's buffer has already dropped an event after {@code afterId})
   */
  Replay replay(Collection<String> topics, long afterId);

  /**
   * The answer of {@link #replay}.
   *
   * @param events the kept events after the id, in id order
   * @param complete whether no event after the id was dropped from the buffers
   */
  record Replay(java.util.List<Event> events, boolean complete) {}

  /**
   * @return the id of the last published event, or 0 if none was published yet
   */
  long lastId();

  /**
   * Cancels every subscription; later publications fail.
   *
   * @return a future completed when closed
   */
  Future<Void> close();
}
