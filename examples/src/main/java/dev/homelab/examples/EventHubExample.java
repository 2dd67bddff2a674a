package dev.homelab.examples;

import dev.homelab.core.events.Event;
import dev.homelab.core.events.EventHub;
import dev.homelab.core.events.EventHubOptions;
import dev.homelab.core.events.Visibility;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
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
      System.out.println("missed after the first reading: " + resume(vertx).await());
    } finally {
      vertx.close().await();
    }
  }

  static Future<List<Double>> resume(Vertx vertx) {
    // snippet:events-replay
    // The hub keeps the newest 100 events of each topic for readers that come back.
    EventHub hub = EventHub.create(vertx, new EventHubOptions().setReplayBufferSize(100));
    Future<Event> first = hub.publish("sensor.reading", new JsonObject().put("temperature", 20.0));
    return first
        .compose(e -> hub.publish("sensor.reading", new JsonObject().put("temperature", 20.5)))
        .compose(e -> hub.publish("sensor.reading", new JsonObject().put("temperature", 21.0)))
        .map(
            last -> {
              // A reader whose last event was the first one asks for what came after it.
              EventHub.Replay replay = hub.replay(Set.of("sensor.reading"), first.result().id());
              List<Double> missed = new ArrayList<>();
              replay.events().forEach(e -> missed.add(e.payload().getDouble("temperature")));
              return replay.complete() ? missed : List.<Double>of(); // incomplete: reload instead
            })
        .eventually(hub::close);
    // end:events-replay
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
