package dev.homelab.server;

import static dev.homelab.core.testing.VertxTesting.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.homelab.client.HomelabNotFoundException;
import dev.homelab.client.metrics.DeviceMetrics;
import dev.homelab.core.telemetry.DeviceState;
import dev.homelab.core.telemetry.DeviceStateKind;
import dev.homelab.core.testing.Mosquitto;
import dev.homelab.core.testing.PostgresExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two servers on one PostgreSQL database, both bridged to the real Mosquitto: both hear every
 * zigbee2mqtt message, and each change is recorded once, by the leader; when the leader stops, the
 * other records the next changes, and nothing twice.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class DeviceStatesLeaderIT {

  @RegisterExtension static final PostgresExtension PG = new PostgresExtension();

  private static final Duration WAIT = Duration.ofSeconds(30);

  @TempDir Path one;
  @TempDir Path two;

  @Test
  void eachChangeIsRecordedOnceByTheLeader() {
    String prefix = "hltest-lead-" + UUID.randomUUID().toString().substring(0, 8);
    String base = prefix + "/zigbee2mqtt";
    String plug = base + "/kitchen/plug";
    Map<String, String> settings =
        Map.of(
            "DATABASE_URL",
            PG.uriOf(PG.newDatabase()),
            "LEADER_TTL_SECONDS",
            "3",
            "MQTT_URL",
            "mqtt://127.0.0.1:1883",
            "MQTT_SUBSCRIPTIONS",
            prefix + "/#",
            "MQTT_ZIGBEE2MQTT_BASE_TOPICS",
            base);
    ServerTesting first = ServerTesting.start(one, settings);
    boolean firstClosed = false;
    try (ServerTesting second = ServerTesting.start(two, settings)) {
      for (ServerTesting lab : List.of(first, second)) {
        Awaitility.await().atMost(WAIT).until(() -> await(lab.client.mqtt().topics()).connected());
      }
      publish(plug, "{\"state\":\"ON\",\"power\":12.5}");
      publish(plug, "{\"state\":\"ON\",\"power\":12.5}"); // no change
      publish(plug, "{\"state\":\"OFF\",\"power\":0}");
      // Either instance answers, from the store.
      awaitStates(second, plug, 2);
      assertThat(await(first.client.metrics().device(plug, "1h")).states()).hasSize(2);
      // Both bridges heard the message; the follower heard it the same, last of its topic.
      assertThat(await(second.client.mqtt().topics()).find(plug)).isPresent();
      // The counter moves just after the commit the answers above saw.
      Awaitility.await().atMost(WAIT).until(() -> recorded(first) == 2.0);
      assertThat(recorded(second)).as("the follower recorded nothing").isZero();

      first.close();
      firstClosed = true;
      // The second takes over: what it heard meanwhile is already recorded, so nothing again.
      Awaitility.await()
          .atMost(WAIT)
          .until(
              () ->
                  second
                          .registry
                          .get("homelab.leader")
                          .tag("role", "homelab.collectors")
                          .gauge()
                          .value()
                      == 1.0);
      publish(plug, "{\"state\":\"ON\",\"power\":13}");
      awaitStates(second, plug, 3);
      List<DeviceState> stored =
          await(
              second
                  .server
                  .storage()
                  .deviceStates()
                  .read(plug, DeviceStateKind.STATE, 0, Long.MAX_VALUE, 100));
      assertThat(stored)
          .extracting(s -> s.state().getString("state"))
          .containsExactly("ON", "OFF", "ON");
      Awaitility.await().atMost(WAIT).until(() -> recorded(second) == 1.0);
    } finally {
      if (!firstClosed) {
        first.close();
      }
    }
  }

  private static double recorded(ServerTesting lab) {
    return lab.registry
        .get("homelab.mqtt.device.states")
        .tag("outcome", "recorded")
        .functionCounter()
        .count();
  }

  private static void awaitStates(ServerTesting lab, String topic, int count) {
    DeviceMetrics history =
        Awaitility.await()
            .atMost(WAIT)
            .ignoreException(HomelabNotFoundException.class)
            .until(
                () -> await(lab.client.metrics().device(topic, "1h")),
                h -> h.states().size() >= count);
    assertThat(history.states()).hasSize(count);
  }

  private static void publish(String topic, String payload) {
    Mosquitto.publish(topic, payload, false);
  }
}
