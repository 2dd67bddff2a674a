package dev.homelab.core.events;

import static dev.homelab.core.testing.VertxTesting.await;
import static dev.homelab.core.testing.VertxTesting.awaitFailure;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.homelab.core.ValidationException;
import dev.homelab.core.testing.VertxTesting;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class LocalEventHubTest {

  private Vertx vertx;
  private EventHub hub;

  @BeforeEach
  void setUp() {
    vertx = VertxTesting.vertx();
    hub = EventHub.create(vertx);
  }

  @AfterEach
  void tearDown() {
    await(hub.close());
    await(vertx.close());
  }

  @Test
  void idsIncreaseAcrossTopicsAndThreadsAndArriveInOrder() throws Exception {
    List<Event> received = new CopyOnWriteArrayList<>();
    CountDownLatch all = new CountDownLatch(400);
    hub.subscribeAll(
        event -> {
          received.add(event);
          all.countDown();
        });
    List<Thread> publishers = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      String topic = "topic." + t;
      Thread publisher =
          new Thread(
              () -> {
                for (int i = 0; i < 100; i++) {
                  hub.publish(topic, new JsonObject().put("i", i));
                }
              });
      publisher.start();
      publishers.add(publisher);
    }
    for (Thread publisher : publishers) {
      publisher.join();
    }
    assertThat(all.await(20, TimeUnit.SECONDS)).isTrue();
    for (int i = 1; i < received.size(); i++) {
      assertThat(received.get(i).id()).isGreaterThan(received.get(i - 1).id());
    }
    assertThat(hub.lastId()).isEqualTo(received.get(received.size() - 1).id());
  }

  @Test
  void subscribersGetOnlyTheirTopics(VertxTestContext test) {
    var checkpoint = test.checkpoint(2);
    hub.subscribe(
        Set.of("sensor.reading", "device.changed"),
        event ->
            test.verify(
                () -> {
                  assertThat(event.topic()).isIn("sensor.reading", "device.changed");
                  checkpoint.flag();
                }));
    hub.publish("access.decision", new JsonObject().put("granted", true))
        .compose(v -> hub.publish("sensor.reading", new JsonObject().put("temperature", 21.5)))
        .compose(v -> hub.publish("device.changed", new JsonObject().put("id", "d1")))
        .onFailure(test::failNow);
  }

  @Test
  void aCancelledSubscriptionReceivesNothingMore() throws Exception {
    List<Event> received = new CopyOnWriteArrayList<>();
    CountDownLatch first = new CountDownLatch(1);
    EventSubscription subscription =
        hub.subscribe(
            Set.of("t"),
            event -> {
              received.add(event);
              first.countDown();
            });
    await(hub.publish("t", new JsonObject()));
    assertThat(first.await(10, TimeUnit.SECONDS)).isTrue();
    await(subscription.cancel());
    await(hub.publish("t", new JsonObject()));
    // A marker subscriber proves that later events were delivered and still not to the cancelled
    // one.
    CountDownLatch marker = new CountDownLatch(1);
    hub.subscribe(Set.of("marker"), e -> marker.countDown());
    await(hub.publish("marker", new JsonObject()));
    assertThat(marker.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(received).hasSize(1);
  }

  @Test
  void thePayloadIsCopiedAtPublication() {
    JsonObject payload = new JsonObject().put("state", "ON");
    Event event = await(hub.publish("t", payload, Visibility.owner("u1")));
    payload.put("state", "OFF");
    assertThat(event.payload().getString("state")).isEqualTo("ON");
    assertThat(event.toJson().containsKey("visibility")).isFalse();
  }

  @Test
  void invalidTopicsAndClosedHubsAreRefused() {
    assertThat(awaitFailure(hub.publish("Not A Topic", new JsonObject())))
        .isInstanceOf(ValidationException.class);
    assertThatThrownBy(() -> hub.subscribe(Set.of("bad topic"), e -> {}))
        .isInstanceOf(ValidationException.class);
    await(hub.close());
    assertThat(awaitFailure(hub.publish("t", new JsonObject()))).hasMessageContaining("closed");
  }

  @Test
  void idsStartFromTheClockSoTheyIncreaseAcrossRestarts() {
    long before = System.currentTimeMillis() * 1000;
    Event first = await(hub.publish("t", new JsonObject()));
    assertThat(first.id()).isGreaterThanOrEqualTo(before);
    EventHub restarted = EventHub.create(vertx, new EventHubOptions().setAddressPrefix("other."));
    try {
      assertThat(await(restarted.publish("t", new JsonObject())).id()).isGreaterThan(first.id());
    } finally {
      await(restarted.close());
    }
  }

  @Test
  void visibilityRules() {
    assertThat(Visibility.everyone().visibleTo("u1", Set.of("viewer"))).isTrue();
    assertThat(Visibility.owner("u1").visibleTo("u1", Set.of("user"))).isTrue();
    assertThat(Visibility.owner("u1").visibleTo("u2", Set.of("user"))).isFalse();
    assertThat(Visibility.owner("u1").visibleTo("u2", Set.of("admin"))).isTrue();
    assertThat(Visibility.role("admin").visibleTo("u2", Set.of("user"))).isFalse();
    assertThat(Visibility.role("user").visibleTo("u2", Set.of("user"))).isTrue();
    assertThatThrownBy(() -> Visibility.owner(" ")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void replayGivesTheKeptEventsAfterAnIdAndSaysWhenSomeWereDropped() {
    EventHub small = EventHub.create(vertx, new EventHubOptions().setReplayBufferSize(3));
    try {
      java.util.List<Event> published = new java.util.ArrayList<>();
      for (int i = 0; i < 5; i++) {
        published.add(await(small.publish("a", new JsonObject().put("i", i))));
        published.add(await(small.publish("b", new JsonObject().put("i", i))));
      }
      // a and b each keep their last 3 events: a2..a4 and b2..b4.
      long b1 = published.get(3).id();
      EventHub.Replay both = small.replay(java.util.Set.of("a", "b"), b1);
      assertThat(both.complete()).isTrue();
      assertThat(both.events())
          .extracting(e -> e.topic() + e.payload().getInteger("i"))
          .containsExactly("a2", "b2", "a3", "b3", "a4", "b4");
      assertThat(small.replay(java.util.Set.of("b"), published.get(7).id()).events())
          .extracting(Event::id)
          .containsExactly(published.get(9).id());
      // After a0, a1 follows, and a1 was dropped: the replay is incomplete.
      long a0 = published.get(0).id();
      assertThat(small.replay(java.util.Set.of("a"), a0).complete()).isFalse();
      assertThat(small.replay(java.util.Set.of(), a0).complete()).isFalse();
      assertThat(small.replay(java.util.Set.of(), b1).complete()).isTrue();
      assertThat(small.replay(java.util.Set.of("c"), 0).events()).isEmpty();
      assertThat(small.replay(java.util.Set.of("c"), 0).complete()).isTrue();
    } finally {
      await(small.close());
    }
  }
}
