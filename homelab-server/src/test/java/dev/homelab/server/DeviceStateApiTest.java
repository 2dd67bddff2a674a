package dev.homelab.server;

import static dev.homelab.core.testing.VertxTesting.await;
import static dev.homelab.core.testing.VertxTesting.awaitFailure;
import static org.assertj.core.api.Assertions.assertThat;

import dev.homelab.client.HomelabClient;
import dev.homelab.client.HomelabHttpException;
import dev.homelab.client.HomelabNotFoundException;
import dev.homelab.client.HomelabValidationException;
import dev.homelab.client.events.EventListener;
import dev.homelab.client.events.EventSubscription;
import dev.homelab.client.events.StreamEvent;
import dev.homelab.client.metrics.DeviceMetrics;
import dev.homelab.client.metrics.MetricQuery;
import dev.homelab.core.testing.Mosquitto;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GET /api/metrics/device/{topic}} and the {@code mqtt.message} event through the client,
 * against a real server bridged to the real Mosquitto on 127.0.0.1:1883, fed by {@code
 * mosquitto_pub} with the zigbee2mqtt fixture payloads. zigbee2mqtt's base topic lies under a
 * prefix of the test's own (its {@code mqtt.base_topic} setting), and the retained messages are
 * cleared at the end.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class DeviceStateApiTest {

  private static final String PREFIX = "hltest-dev-" + UUID.randomUUID().toString().substring(0, 8);
  private static final String BASE = PREFIX + "/zigbee2mqtt";
  private static final String WINDOW = BASE + "/livingroom/window";
  // Homelab's own topics are homelab/...: the test's lie under homelab/<prefix>.
  private static final String HOMELAB = "homelab/" + PREFIX;
  private static final Duration WAIT = Duration.ofSeconds(30);

  @TempDir static Path dir;

  static ServerTesting lab;
  static final List<String> retained = new ArrayList<>();

  static String fixture(String name) {
    try (InputStream in =
        DeviceStateApiTest.class.getResourceAsStream("/fixtures/zigbee2mqtt/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException | NullPointerException e) {
      throw new AssertionError("no fixture " + name, e);
    }
  }

  /** A fixture's device payload, by the topic after zigbee2mqtt's base. */
  static JsonObject deviceState(String device) {
    for (Object entry : new JsonArray(fixture("device-states-topic-payload.json"))) {
      JsonObject e = (JsonObject) entry;
      if (e.getString("topic").equals("zigbee2mqtt/" + device)) {
        return e.getJsonObject("payload");
      }
    }
    throw new AssertionError("no fixture state of " + device);
  }

  @BeforeAll
  static void start() {
    // Retained before the server connects, as zigbee2mqtt leaves them.
    publish(BASE + "/bridge/state", fixture("bridge-state.json"), true);
    publish(BASE + "/bridge/devices", fixture("bridge-devices-two-entries.json"), true);
    publish(WINDOW + "/availability", "{\"state\":\"online\"}", true);
    lab =
        ServerTesting.start(
            dir,
            Map.of(
                "MQTT_URL",
                "mqtt://127.0.0.1:1883",
                "MQTT_SUBSCRIPTIONS",
                PREFIX + "/#," + HOMELAB + "/#",
                "MQTT_ZIGBEE2MQTT_BASE_TOPICS",
                BASE));
    Awaitility.await().atMost(WAIT).until(() -> await(lab.client.mqtt().topics()).connected());
  }

  @AfterAll
  static void stop() {
    retained.forEach(Mosquitto::clearRetained);
    if (lab != null) {
      lab.close();
    }
  }

  private static DeviceMetrics awaitHistory(
      HomelabClient client, String topic, java.util.function.Predicate<DeviceMetrics> done) {
    return Awaitility.await()
        .atMost(WAIT)
        .ignoreException(HomelabNotFoundException.class)
        .until(() -> await(client.metrics().device(topic, "1h")), done);
  }

  @Test
  void aDevicesStateChangesAvailabilityAndSeriesAreRecorded() {
    JsonObject window = deviceState("livingroom/window");
    publish(WINDOW, window.encode(), false);
    // The same state again (only last_seen moved on) and a command: neither is a change.
    publish(WINDOW, window.copy().put("last_seen", "2022-05-16T21:00:00+08:00").encode(), false);
    publish(WINDOW + "/set", "{\"state\":\"ON\"}", false);
    JsonObject open = window.copy().put("contact", false).put("linkquality", 140);
    publish(WINDOW, open.encode(), false);

    DeviceMetrics history =
        awaitHistory(lab.client, WINDOW, h -> h.states().size() >= 2 && !h.series().isEmpty());
    assertThat(history.topic()).isEqualTo(WINDOW);
    assertThat(history.period()).isEqualTo("1h");
    assertThat(history.states())
        .extracting(DeviceMetrics.Change::state)
        .containsExactly(window, open);
    assertThat(history.latest().time()).isAfterOrEqualTo(history.states().get(0).time());
    assertThat(history.truncated()).isFalse();
    // The retained availability heard at connection is the first one known.
    assertThat(history.availability())
        .extracting(c -> c.state().getString("state"))
        .containsExactly("online");
    // bridge/devices names the device.
    assertThat(history.device().friendlyName()).isEqualTo("livingroom/window");
    assertThat(history.device().model()).isEqualTo("MCCGQ01LM");
    assertThat(history.device().type()).isEqualTo("EndDevice");
    assertThat(history.tier()).isEqualTo("raw");
    assertThat(history.intervalSeconds()).isNull();
    // Raw rows are whole seconds: changes heard within one second share a row (their average).
    DeviceMetrics.Row last = history.series().get(history.series().size() - 1);
    assertThat(last.value("contact")).isBetween(0.0, 1.0);
    assertThat(last.value("linkquality")).isBetween(140.0, 152.0);
    assertThat(history.series())
        .flatExtracting(row -> row.values().keySet())
        .contains("available", "battery", "contact", "linkquality", "voltage")
        .doesNotContain("last_seen");
    assertThat(history.series())
        .anySatisfy(row -> assertThat(row.value("battery")).isEqualTo(100.0));

    // The legacy plain-text availability is understood too.
    publish(WINDOW + "/availability", "offline", false);
    DeviceMetrics offline = awaitHistory(lab.client, WINDOW, h -> h.availability().size() == 2);
    assertThat(offline.availability().get(1).state())
        .isEqualTo(new JsonObject().put("state", "offline"));

    // A viewer reads it too, through the blocking facade, with a limit.
    HomelabClient viewer = lab.newUser("device-viewer", "viewer");
    DeviceMetrics limited =
        viewer.blocking().metrics().device(WINDOW, MetricQuery.last(null, "1h").withMaxPoints(3));
    assertThat(limited.states()).hasSizeLessThanOrEqualTo(3);
  }

  @Test
  void everyFixtureDeviceIsUnderstood() {
    JsonObject hue = deviceState("hue_back_tv");
    publish(BASE + "/hue_back_tv", hue.encode(), false);
    // The weather sensor of 2018 sent its battery as a string; friendly names may hold spaces.
    String weather = BASE + "/Weather Guest Room";
    publish(weather, fixture("device-state-weather-legacy-2018.json"), false);
    // Home Assistant's discovery config lies outside zigbee2mqtt's base topic: not a device.
    publish(
        PREFIX + "/homeassistant/sensor/0x00158d0008aa5a0d/linkquality/config",
        fixture("ha-discovery-sensor-linkquality.json"),
        false);

    DeviceMetrics lamp =
        awaitHistory(lab.client, BASE + "/hue_back_tv", h -> !h.series().isEmpty());
    assertThat(lamp.states()).extracting(DeviceMetrics.Change::state).containsExactly(hue);
    assertThat(lamp.device()).isNull();
    assertThat(lamp.series().get(0).values())
        .containsEntry("state", 1.0)
        .containsEntry("brightness", 99.0)
        .containsEntry("color_x", 0.5056);
    DeviceMetrics sensor = awaitHistory(lab.client, weather, h -> !h.series().isEmpty());
    assertThat(sensor.topic()).isEqualTo(weather);
    assertThat(sensor.series().get(0).values())
        .containsEntry("battery", 37.0)
        .containsEntry("temperature", 24.59)
        .containsEntry("pressure", 990.0);
    assertThat(
            awaitFailure(
                lab.client
                    .metrics()
                    .device(
                        PREFIX + "/homeassistant/sensor/0x00158d0008aa5a0d/linkquality/config",
                        "1h")))
        .isInstanceOf(HomelabNotFoundException.class);
  }

  @Test
  void unknownAndInvalidTopicsAreRefused() {
    Throwable unknown = awaitFailure(lab.client.metrics().device(BASE + "/never-seen", "1h"));
    assertThat(unknown).isInstanceOf(HomelabNotFoundException.class);
    assertThat(((HomelabHttpException) unknown).errorCode()).isEqualTo("DEVICE_NOT_FOUND");
    // The bridge's own topics are not devices.
    assertThat(awaitFailure(lab.client.metrics().device(BASE + "/bridge/state", "1h")))
        .isInstanceOf(HomelabNotFoundException.class);
    assertRefused(BASE + "/+", MetricQuery.last(null, "1h"), "topic");
    assertRefused(WINDOW, MetricQuery.last(null, "2h"), "period");
    assertRefused(WINDOW, MetricQuery.last(null, "1h").withMaxPoints(2), "max_points");
  }

  private static void assertRefused(String topic, MetricQuery query, String field) {
    Throwable refused = awaitFailure(lab.client.metrics().device(topic, query));
    assertThat(refused).isInstanceOf(HomelabValidationException.class);
    assertThat(((HomelabValidationException) refused).field()).isEqualTo(field);
  }

  @Test
  void everyMessageHeardIsAnEventAndHomelabTopicsOnlyForAdmins() throws Exception {
    BlockingQueue<StreamEvent> admin = new LinkedBlockingQueue<>();
    BlockingQueue<StreamEvent> user = new LinkedBlockingQueue<>();
    CountDownLatch opened = new CountDownLatch(2);
    HomelabClient plain = lab.newUser("device-user", "user");
    EventSubscription adminEvents =
        lab.client.events().subscribe(List.of("mqtt.message"), listener(admin, opened));
    EventSubscription userEvents =
        plain.events().subscribe(List.of("mqtt.message"), listener(user, opened));
    try {
      assertThat(opened.await(10, TimeUnit.SECONDS)).isTrue();
      publish(HOMELAB + "/sensors/s1", "{\"temperature\":21.5}", false);
      publish(BASE + "/events/plug", "{\"state\":\"ON\"}", false);
      StreamEvent first = next(admin, HOMELAB + "/sensors/s1", false);
      assertThat(first.payload().getJsonObject("payload"))
          .isEqualTo(new JsonObject().put("temperature", 21.5));
      assertThat(first.payload().getString("encoding")).isEqualTo("json");
      next(admin, BASE + "/events/plug", false);
      // The user gets zigbee2mqtt's message; the Homelab topic, published before it, never came.
      StreamEvent seen = next(user, BASE + "/events/plug", true);
      assertThat(seen.payload().getJsonObject("payload"))
          .isEqualTo(new JsonObject().put("state", "ON"));
    } finally {
      adminEvents.close();
      userEvents.close();
    }
  }

  /**
   * The next event of a topic; events of other topics (other tests' messages) are skipped, but a
   * plain user must never see one of Homelab's own topics.
   */
  private static StreamEvent next(
      BlockingQueue<StreamEvent> events, String topic, boolean plainUser)
      throws InterruptedException {
    for (int i = 0; i < 100; i++) {
      StreamEvent event = events.poll(10, TimeUnit.SECONDS);
      assertThat(event).as("an mqtt.message event of " + topic).isNotNull();
      String heard = event.payload().getString("topic");
      assertThat(plainUser && heard.startsWith("homelab/"))
          .as("a Homelab topic reached a plain user")
          .isFalse();
      if (heard.equals(topic)) {
        return event;
      }
    }
    throw new AssertionError("no event of " + topic);
  }

  private static EventListener listener(BlockingQueue<StreamEvent> events, CountDownLatch opened) {
    return new EventListener() {
      @Override
      public void onOpen() {
        opened.countDown();
      }

      @Override
      public void onEvent(StreamEvent event) {
        events.add(event);
      }
    };
  }

  private static void publish(String topic, String payload, boolean retain) {
    Mosquitto.publish(topic, payload, retain);
    if (retain) {
      retained.add(topic);
    }
  }
}
