package dev.homelab.server;

import static dev.homelab.core.testing.VertxTesting.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.homelab.client.automations.AutomationLogListener;
import dev.homelab.client.events.EventSubscription;
import dev.homelab.client.mqtt.MqttMessageListener;
import dev.homelab.client.mqtt.MqttTopicMessage;
import dev.homelab.core.testing.Mosquitto;
import dev.homelab.core.testing.VertxTesting;
import dev.homelab.simulators.automation.AutomationSimulator;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Streams that begin within the request timeout are not cut by it: {@code GET /api/mqtt/stream} and
 * {@code GET /api/automations/{name}/logs} stay open, on one connection, for two and a half times
 * {@code REQUEST_TIMEOUT_SECONDS} and still deliver. Vert.x's request timeout failed them once it
 * fired, head written or not, so both were cut at the timeout (every 30 s by default), which the
 * client's reconnection hid from every other test.
 */
@Timeout(60)
class LongStreamsTest {

  private static final String PREFIX =
      "hltest-long-" + UUID.randomUUID().toString().substring(0, 8);
  private static final String PASSWORD = "automation-Pa55-" + System.nanoTime();
  private static final Duration OPEN_FOR = Duration.ofSeconds(5);

  @TempDir static Path dir;
  static Vertx simulators;
  static ServerTesting lab;

  @BeforeAll
  static void start() {
    simulators = Vertx.vertx(VertxTesting.options());
    AutomationSimulator automation =
        await(
            AutomationSimulator.start(
                simulators,
                AutomationSimulator.Setup.defaults()
                    .withCredentials("admin", PASSWORD)
                    .withLogInterval(Duration.ofMillis(100))));
    TestSecrets.remember(PASSWORD);
    lab =
        ServerTesting.start(
            dir,
            Map.of(
                "REQUEST_TIMEOUT_SECONDS",
                "2",
                "MQTT_URL",
                "mqtt://127.0.0.1:1883",
                "MQTT_SUBSCRIPTIONS",
                PREFIX + "/#",
                "AUTOMATION_API_URL",
                automation.baseUrl(),
                "AUTOMATION_API_USER",
                "admin",
                "AUTOMATION_API_PASSWORD",
                PASSWORD,
                "METRICS_INTERVAL_AUTOMATIONS",
                "0"));
    Awaitility.await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> await(lab.client.mqtt().topics()).connected());
  }

  @AfterAll
  static void stop() {
    if (lab != null) {
      lab.close();
    }
    if (simulators != null) {
      await(simulators.close());
    }
  }

  @Test
  void theMqttAndAutomationLogStreamsOutliveTheRequestTimeoutAndStillDeliver() {
    Counted mqtt = new Counted();
    List<String> payloads = new CopyOnWriteArrayList<>();
    EventSubscription messages =
        lab.client.mqtt().stream(
            PREFIX + "/#",
            new MqttMessageListener() {
              @Override
              public void onOpen() {
                mqtt.opens.incrementAndGet();
              }

              @Override
              public void onMessage(MqttTopicMessage message) {
                payloads.add(message.payload());
              }

              @Override
              public void onReconnecting(Throwable cause, long delayMillis) {
                mqtt.reconnects.incrementAndGet();
              }
            });
    Counted logs = new Counted();
    AtomicInteger lines = new AtomicInteger();
    EventSubscription logLines =
        lab.client
            .automations()
            .logs(
                "monitor",
                new AutomationLogListener() {
                  @Override
                  public void onOpen() {
                    logs.opens.incrementAndGet();
                  }

                  @Override
                  public void onLine(String line) {
                    lines.incrementAndGet();
                  }

                  @Override
                  public void onReconnecting(Throwable cause, long delayMillis) {
                    logs.reconnects.incrementAndGet();
                  }
                });
    try {
      Awaitility.await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> mqtt.opens.get() == 1 && logs.opens.get() == 1);
      Awaitility.await()
          .during(OPEN_FOR)
          .atMost(OPEN_FOR.plusSeconds(5))
          .until(() -> mqtt.unbroken() && logs.unbroken());

      Mosquitto.publish(PREFIX + "/late", "after the timeouts", false);
      int linesBefore = lines.get();
      Awaitility.await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> payloads.contains("after the timeouts") && lines.get() > linesBefore + 3);
      assertThat(mqtt.unbroken()).as("the MQTT stream, on one connection throughout").isTrue();
      assertThat(logs.unbroken()).as("the log stream, on one connection throughout").isTrue();
    } finally {
      messages.close();
      logLines.close();
    }
  }

  /** How often a client's stream opened and began to reconnect. */
  private static final class Counted {
    final AtomicInteger opens = new AtomicInteger();
    final AtomicInteger reconnects = new AtomicInteger();

    /** Opened once and never began to reconnect. */
    boolean unbroken() {
      return opens.get() == 1 && reconnects.get() == 0;
    }
  }
}
