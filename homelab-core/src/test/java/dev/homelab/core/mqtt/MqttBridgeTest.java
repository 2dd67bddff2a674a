package dev.homelab.core.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.homelab.core.testing.Mosquitto;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The bridge against the real Mosquitto on 127.0.0.1:1883, with mosquitto_pub/sub as peers. */
class MqttBridgeTest {

  static final String PREFIX = Mosquitto.uniquePrefix("bridge");
  static final List<String> RETAINED = new CopyOnWriteArrayList<>();

  Vertx vertx;
  MqttBridge bridge;

  @BeforeAll
  static void retainedBeforeTheBridge() {
    Mosquitto.publish(PREFIX + "/state/lamp", "{\"state\":\"ON\"}", true);
    RETAINED.add(PREFIX + "/state/lamp");
  }

  @AfterAll
  static void clearRetained() {
    RETAINED.forEach(Mosquitto::clearRetained);
  }

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    bridge =
        MqttBridge.create(
            vertx,
            new MqttBridgeOptions()
                .setBrokerUrl("mqtt://" + Mosquitto.HOST + ":" + Mosquitto.PORT)
                .setSubscriptions(List.of(PREFIX + "/#")));
    bridge.start().await();
  }

  @AfterEach
  void stop() {
    bridge.close().await();
    vertx.close().await();
  }

  @Test
  void retainedStatePublishedBeforeTheBridgeConnectedIsInTheCache() {
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> bridge.lastMessage(PREFIX + "/state/lamp").isPresent());
    MqttMessage lamp = bridge.lastMessage(PREFIX + "/state/lamp").orElseThrow();
    assertThat(lamp.payloadAsString()).isEqualTo("{\"state\":\"ON\"}");
    assertThat(lamp.retained()).isTrue();
    assertThat(bridge.lastMessages()).extracting(MqttMessage::topic).contains(lamp.topic());
  }

  @Test
  void messageFromMosquittoPubReachesTheMatchingHandlersAndTheCache() {
    List<MqttMessage> sensors = new CopyOnWriteArrayList<>();
    List<MqttMessage> doors = new CopyOnWriteArrayList<>();
    bridge.onMessage(PREFIX + "/sensors/+", sensors::add);
    bridge.onMessage(PREFIX + "/doors/#", doors::add);

    Mosquitto.publish(PREFIX + "/sensors/garage", "{\"temperature\":21.5}", false);

    await().atMost(Duration.ofSeconds(10)).until(() -> !sensors.isEmpty());
    assertThat(sensors.get(0).topic()).isEqualTo(PREFIX + "/sensors/garage");
    assertThat(sensors.get(0).payloadAsString()).isEqualTo("{\"temperature\":21.5}");
    assertThat(sensors.get(0).retained()).isFalse();
    assertThat(bridge.lastMessage(PREFIX + "/sensors/garage"))
        .get()
        .extracting(MqttMessage::payloadAsString)
        .isEqualTo("{\"temperature\":21.5}");
    // The door handler's filter does not match: by the time the sensor message arrived, any
    // message for it would have come first on the same connection.
    assertThat(doors).isEmpty();
  }

  @Test
  void cancelledHandlerReceivesNothingMore() {
    List<MqttMessage> first = new CopyOnWriteArrayList<>();
    List<MqttMessage> second = new CopyOnWriteArrayList<>();
    MqttSubscription cancelled = bridge.onMessage(PREFIX + "/cancel", first::add);
    bridge.onMessage(PREFIX + "/cancel", second::add);
    cancelled.cancel();

    Mosquitto.publish(PREFIX + "/cancel", "x", false);

    await().atMost(Duration.ofSeconds(10)).until(() -> !second.isEmpty());
    assertThat(first).isEmpty();
  }

  @Test
  void retainedPublishIsAcknowledgedAndSeenByMosquittoSub() throws InterruptedException {
    String topic = PREFIX + "/homelab/state";
    RETAINED.add(topic);

    // QoS 1: the future completes on the broker's PUBACK, so the state is stored by then.
    bridge.publish(topic, "{\"on\":true}", 1, true).await();

    try (var sub = new Mosquitto.Subscriber(1, topic)) {
      assertThat(sub.nextLine()).isEqualTo(topic + " {\"on\":true}");
    }
  }

  @Test
  void qosZeroAndTwoPublishesComplete() throws InterruptedException {
    try (var sub = new Mosquitto.Subscriber(3, PREFIX + "/ready", PREFIX + "/q/#")) {
      String ready = PREFIX + "/ready";
      RETAINED.add(ready);
      Mosquitto.publish(ready, "r", true);
      // The retained message arrives once mosquitto_sub has subscribed.
      assertThat(sub.nextLine()).isEqualTo(ready + " r");

      bridge.publish(PREFIX + "/q/zero", "0", 0, false).await();
      bridge.publish(PREFIX + "/q/two", "2", 2, false).await();

      assertThat(List.of(sub.nextLine(), sub.nextLine()))
          .containsExactlyInAnyOrder(PREFIX + "/q/zero 0", PREFIX + "/q/two 2");
    }
  }

  @Test
  void invalidTopicOrQosIsRefusedBeforeSending() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> bridge.publish("a/+/b", "x", 1, false))
        .hasMessageContaining("wildcards");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> bridge.publish("a/b", "x", 3, false))
        .hasMessageContaining("0, 1 or 2");
  }
}
