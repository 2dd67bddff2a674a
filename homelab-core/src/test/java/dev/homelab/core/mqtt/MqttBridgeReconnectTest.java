package dev.homelab.core.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.homelab.core.HomelabException;
import dev.homelab.core.testing.ConnectionCutter;
import dev.homelab.core.testing.Mosquitto;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Reconnection, re-subscription and the outbox, through a proxy to the real Mosquitto that the test
 * cuts and restores (the shared system broker cannot be restarted).
 */
class MqttBridgeReconnectTest {

  static final String PREFIX = Mosquitto.uniquePrefix("reconnect");

  Vertx vertx;
  ConnectionCutter proxy;
  MqttBridge bridge;
  final List<MqttMessage> received = new CopyOnWriteArrayList<>();

  @AfterAll
  static void clearRetained() {
    Mosquitto.clearRetained(PREFIX + "/ready");
  }

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    proxy = ConnectionCutter.start(vertx, Mosquitto.PORT);
  }

  void startBridge(int outboxSize) {
    startBridge(new MqttBridgeOptions().setOutboxSize(outboxSize));
  }

  void startBridge(MqttBridgeOptions options) {
    bridge =
        MqttBridge.create(
            vertx,
            options
                .setBrokerUrl("mqtt://127.0.0.1:" + proxy.port())
                .setSubscriptions(List.of(PREFIX + "/#"))
                .setReconnectBackoff(Duration.ofMillis(20), Duration.ofMillis(200)));
    bridge.onMessage(PREFIX + "/#", received::add);
    bridge.start().await();
  }

  @AfterEach
  void stop() {
    if (bridge != null) {
      bridge.close().await();
    }
    proxy.close();
    vertx.close().await();
  }

  static void awaitSucceeded(List<Future<Void>> futures) {
    await()
        .atMost(Duration.ofSeconds(15))
        .until(() -> futures.stream().allMatch(Future::isComplete));
    assertThat(futures).allMatch(Future::succeeded);
  }

  @Test
  void reconnectsResubscribesAndSendsTheOutboxAfterAnOutage() throws InterruptedException {
    startBridge(100);
    assertThat(bridge.connectionCount()).isEqualTo(1);

    proxy.cut();
    await().atMost(Duration.ofSeconds(10)).until(() -> !bridge.isConnected());

    List<Future<Void>> sent = new ArrayList<>();
    for (int i = 1; i <= 3; i++) {
      sent.add(bridge.publish(PREFIX + "/out/" + i, "m" + i, 1, false));
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> bridge.outboxSize() == 3);
    // Not acknowledged while the broker cannot be reached: the futures wait for PUBACKs.
    assertThat(sent).noneMatch(Future::isComplete);

    try (var sub = new Mosquitto.Subscriber(4, PREFIX + "/ready", PREFIX + "/out/#")) {
      Mosquitto.publish(PREFIX + "/ready", "r", true);
      assertThat(sub.nextLine()).isEqualTo(PREFIX + "/ready r");

      proxy.restore();

      awaitSucceeded(sent);
      // mosquitto_sub, an independent peer, got the outbox in order.
      assertThat(List.of(sub.nextLine(), sub.nextLine(), sub.nextLine()))
          .containsExactly(PREFIX + "/out/1 m1", PREFIX + "/out/2 m2", PREFIX + "/out/3 m3");
    }
    assertThat(bridge.isConnected()).isTrue();
    assertThat(bridge.connectionCount()).isGreaterThanOrEqualTo(2);
    assertThat(bridge.outboxSize()).isZero();
    assertThat(bridge.droppedCount()).isZero();

    // Subscribed again: the bridge hears its own outbox (sent after the SUBSCRIBE on the same
    // connection) and a new message from mosquitto_pub.
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> received.stream().anyMatch(m -> m.topic().equals(PREFIX + "/out/3")));
    Mosquitto.publish(PREFIX + "/after", "back", false);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> received.stream().anyMatch(m -> m.topic().equals(PREFIX + "/after")));
    // One subscription per filter after the reconnection: the new message came once.
    assertThat(received).filteredOn(m -> m.topic().equals(PREFIX + "/after")).hasSize(1);
  }

  /**
   * A partition (reliability matrix row F15): the broker's connection stays open but nothing comes
   * back. The keep-alive's unanswered ping tells the bridge it is gone; it reconnects once the
   * network heals, subscribes again and hears what is published after, and what it published in the
   * hole is delivered.
   */
  @Test
  void aBlackHoledBrokerIsNoticedByTheKeepAliveAndTheBridgeIsBackAfterTheHeal() {
    startBridge(new MqttBridgeOptions().setOutboxSize(10).setKeepAlive(Duration.ofSeconds(1)));
    proxy.blackHole();
    // One keep-alive to send the ping, half of one for its answer, then some slack.
    await().atMost(Duration.ofSeconds(4)).until(() -> !bridge.isConnected());
    Future<Void> sentInTheHole = bridge.publish(PREFIX + "/hole", "h", 1, false);

    proxy.heal();
    awaitSucceeded(List.of(sentInTheHole));
    assertThat(bridge.isConnected()).isTrue();
    assertThat(bridge.connectionCount()).isGreaterThanOrEqualTo(2);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> received.stream().anyMatch(m -> m.topic().equals(PREFIX + "/hole")));
    Mosquitto.publish(PREFIX + "/healed", "back", false);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> received.stream().anyMatch(m -> m.topic().equals(PREFIX + "/healed")));
    assertThat(received).filteredOn(m -> m.topic().equals(PREFIX + "/healed")).hasSize(1);
  }

  @Test
  void fullOutboxDropsTheOldestAndCountsThem() {
    startBridge(3);
    proxy.cut();
    await().atMost(Duration.ofSeconds(10)).until(() -> !bridge.isConnected());

    List<Future<Void>> sent = new ArrayList<>();
    for (int i = 1; i <= 5; i++) {
      sent.add(bridge.publish(PREFIX + "/drop/" + i, "d" + i, 1, false));
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> bridge.droppedCount() == 2);
    assertThat(bridge.outboxSize()).isEqualTo(3);
    for (Future<Void> dropped : sent.subList(0, 2)) {
      await().atMost(Duration.ofSeconds(10)).until(dropped::isComplete);
      assertThat(dropped.cause())
          .isInstanceOf(HomelabException.class)
          .hasMessageContaining("outbox was full");
    }

    proxy.restore();
    awaitSucceeded(sent.subList(2, 5));
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                received.stream().filter(m -> m.topic().startsWith(PREFIX + "/drop/")).count()
                    == 3);
    assertThat(received)
        .filteredOn(m -> m.topic().startsWith(PREFIX + "/drop/"))
        .extracting(MqttMessage::payloadAsString)
        .containsExactly("d3", "d4", "d5");
    assertThat(bridge.droppedCount()).isEqualTo(2);
  }

  @Test
  void closeFailsWhatIsStillInTheOutbox() {
    startBridge(10);
    proxy.cut();
    await().atMost(Duration.ofSeconds(10)).until(() -> !bridge.isConnected());
    Future<Void> pending = bridge.publish(PREFIX + "/never", "x", 1, false);

    bridge.close().await();

    await().atMost(Duration.ofSeconds(10)).until(pending::isComplete);
    assertThat(pending.failed()).isTrue();
    assertThat(pending.cause()).hasMessageContaining("closed");
  }
}
