package dev.homelab.core.events;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Objects;

/**
 * Something that happened, as published on an {@link EventHub}.
 *
 * <p>Subscribers share one instance: they must not modify the {@link #payload()}.
 *
 * @param id increases with every event the hub publishes, across topics
 * @param topic the topic, for example {@code access.decision}
 * @param timestamp when the hub published it
 * @param visibility who may see it
 * @param payload what happened, as JSON
 */
public record Event(
    long id, String topic, Instant timestamp, Visibility visibility, JsonObject payload) {

  /** Checks that no component is null. */
  public Event {
    Objects.requireNonNull(topic, "topic");
    Objects.requireNonNull(timestamp, "timestamp");
    Objects.requireNonNull(visibility, "visibility");
    Objects.requireNonNull(payload, "payload");
  }

  /**
   * @return the event as the JSON streams send: id, topic, timestamp and payload (visibility is for
   *     the server's filtering and is not sent)
   */
  public JsonObject toJson() {
    return new JsonObject()
        .put("id", id)
        .put("topic", topic)
        .put("timestamp", timestamp.toString())
        .put("payload", payload);
  }
}
