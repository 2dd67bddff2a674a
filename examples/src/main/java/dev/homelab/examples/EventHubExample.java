package dev.homelab.examples;

import dev.homelab.core.events.Event;
import dev.homelab.core.events.EventHub;
import dev.homelab.core.events.Visibility;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.Set;

/** Subscribes to a topic of the in-process event hub and publishes on it. */
public final class EventHubExample {

  private EventHubExample() {}

  public static void main(String[] args) {
    Vertx vertx = Vertx.vertx();
    try {
      Event event = run(vertx).await();
      System.out.println(
          "received #" + event.id() + " on " + event.topic() + ": " + event.payload());
    } finally {
      vertx.close().await();
    }
  }

  // snippet:events
  static Future<Event> run(Vertx vertx) {
    EventHub hub = EventHub.create(vertx);
    Promise<Event> received = Promise.promise();
    hub.subscribe(Set.of("sensor.reading"), received::tryComplete);
    hub.publish(
        "sensor.reading",
        new JsonObject().put("device_id", "garage").put("temperature", 21.5),
        Visibility.owner("alice"));
    return received.future().eventually(hub::close);
  }
  // end:events
}
