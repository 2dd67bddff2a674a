package dev.homelab.server;

import static dev.homelab.core.testing.VertxTesting.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.homelab.client.mqtt.MqttTopicList;
import dev.homelab.client.system.DetailedHealth;
import dev.homelab.core.testing.Mosquitto;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The broker dies with {@code kill -9} under a running server and comes back: the bridge reconnects
 * and subscribes again, the stream and the topics API carry the new messages, and the broker holds
 * one subscription per configured filter, not one more per reconnection. The broker is a private
 * Mosquitto process of this test's, on a port of its own, so killing it disturbs no other test.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class MqttBrokerRestartTest {

  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final String PREFIX = Mosquitto.uniquePrefix("restart");

  @TempDir Path dir;

  private Mosquitto.Broker broker;
  private ServerTesting lab;

  @BeforeEach
  void start() {
    broker = new Mosquitto.Broker(dir);
    lab =
        ServerTesting.start(
            dir.resolve("server"),
            Map.of(
                "MQTT_URL",
                "mqtt://127.0.0.1:" + broker.port(),
                "MQTT_SUBSCRIPTIONS",
                PREFIX + "/a/#," + PREFIX + "/b/#"));
    Awaitility.await().atMost(WAIT).until(() -> await(lab.client.mqtt().topics()).connected());
  }

  @AfterEach
  void stop() {
    if (lab != null) {
      lab.close();
    }
    if (broker != null) {
      broker.close();
    }
  }

  @Test
  void afterAKilledBrokerComesBackTheBridgeSubscribesOnceAgainAndCarriesNewMessages()
      throws Exception {
    try (MqttStreamRecorder streamed = new MqttStreamRecorder(lab.client, PREFIX + "/#")) {
      Mosquitto.publish(broker.port(), PREFIX + "/a/lamp", "before", false);
      Awaitility.await().atMost(WAIT).until(() -> streamed.payloads().contains("before"));
      assertThat(broker.subscriptionCount()).isEqualTo(2);

      broker.kill();
      DetailedHealth down =
          Awaitility.await()
              .atMost(WAIT)
              .until(() -> await(lab.client.system().detailedHealth()), h -> !h.mqtt().connected());
      assertThat(down.status()).isEqualTo("degraded");
      assertThat(down.mqtt().error()).isEqualTo("not connected to the broker");
      assertThat(await(lab.client.mqtt().topics()).connected()).isFalse();

      broker.start();
      DetailedHealth up =
          Awaitility.await()
              .atMost(WAIT)
              .until(() -> await(lab.client.system().detailedHealth()), h -> h.mqtt().connected());
      assertThat(up.mqtt().connections()).isEqualTo(2);
      assertThat(up.status()).isEqualTo("healthy");

      // The bridge resubscribes right after connecting; a message it hears proves it did. The
      // broker kept nothing from before the kill (no persistence), so every subscription it holds
      // now is one the bridge made after the restart.
      Awaitility.await()
          .atMost(WAIT)
          .until(
              () -> {
                Mosquitto.publish(broker.port(), PREFIX + "/b/probe", "probe", false);
                return streamed.payloads().contains("probe");
              });
      for (int i = 1; i <= 5; i++) {
        Mosquitto.publish(broker.port(), PREFIX + "/a/lamp", "after-" + i, false);
      }
      // Messages from one publisher arrive in order: once the marker is here, a duplicate of any
      // message before it would be here too.
      Mosquitto.publish(broker.port(), PREFIX + "/b/marker", "marker", false);
      Awaitility.await().atMost(WAIT).until(() -> streamed.payloads().contains("marker"));
      assertThat(streamed.payloads().stream().filter(p -> p.startsWith("after-")).toList())
          .containsExactly("after-1", "after-2", "after-3", "after-4", "after-5");
      assertThat(broker.subscriptionCount()).isEqualTo(2);

      MqttTopicList topics = await(lab.client.mqtt().topics());
      assertThat(topics.connected()).isTrue();
      assertThat(topics.find(PREFIX + "/a/lamp").orElseThrow().payload()).isEqualTo("after-5");
      assertThat(topics.find(PREFIX + "/b/marker").orElseThrow().payload()).isEqualTo("marker");
    }
  }
}
