package dev.homelab.server;

import static dev.homelab.core.testing.VertxTesting.await;
import static dev.homelab.core.testing.VertxTesting.awaitFailure;
import static org.assertj.core.api.Assertions.assertThat;

import dev.homelab.client.HomelabClient;
import dev.homelab.client.HomelabForbiddenException;
import dev.homelab.client.HomelabHttpException;
import dev.homelab.client.HomelabNotFoundException;
import dev.homelab.client.HomelabValidationException;
import dev.homelab.client.audit.AuditEntry;
import dev.homelab.client.audit.AuditQuery;
import dev.homelab.client.mqtt.MqttPublish;
import dev.homelab.client.mqtt.MqttPublished;
import dev.homelab.client.mqtt.MqttTopicList;
import dev.homelab.client.mqtt.MqttTopicMessage;
import dev.homelab.client.system.DetailedHealth;
import dev.homelab.core.testing.Mosquitto;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /api/mqtt} through the client, against a real server whose {@code MQTT_URL} points at the
 * real Mosquitto on 127.0.0.1:1883, with {@code mosquitto_pub} and {@code mosquitto_sub} as
 * independent peers; and a server without {@code MQTT_URL}. Every topic lies under a prefix of its
 * own, and the retained messages the tests create are cleared at the end.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class MqttApiTest {

  private static final String PREFIX = "hltest-api-" + UUID.randomUUID().toString().substring(0, 8);
  private static final Duration WAIT = Duration.ofSeconds(20);

  @TempDir static Path dir;
  @TempDir static Path offDir;

  static ServerTesting lab;
  static ServerTesting off;
  static final List<String> retained = new ArrayList<>();

  @BeforeAll
  static void start() throws IOException {
    // Retained before the server connects: the broker hands it to the bridge as retained state.
    publish(PREFIX + "/before", "on", true);
    Path binary = dir.resolve("binary.bin");
    Files.write(binary, new byte[] {(byte) 0xff, (byte) 0xfe, 0x00, 0x41});
    Mosquitto.run(
        List.of(
            "mosquitto_pub",
            "-h",
            "127.0.0.1",
            "-p",
            "1883",
            "-q",
            "1",
            "-r",
            "-t",
            PREFIX + "/binary",
            "-f",
            binary.toString()));
    retained.add(PREFIX + "/binary");
    lab =
        ServerTesting.start(
            dir,
            Map.of(
                "MQTT_URL",
                "mqtt://127.0.0.1:1883",
                "MQTT_SUBSCRIPTIONS",
                PREFIX + "/#",
                "MQTT_ACCESS_TOPIC",
                PREFIX + "/doors"));
    off = ServerTesting.start(offDir);
    Awaitility.await().atMost(WAIT).until(() -> await(lab.client.mqtt().topics()).connected());
  }

  @AfterAll
  static void stop() {
    retained.forEach(Mosquitto::clearRetained);
    if (lab != null) {
      lab.close();
    }
    if (off != null) {
      off.close();
    }
  }

  @Test
  void retainedAndLiveMessagesAppearSortedByTopic() {
    publish(PREFIX + "/live", "{\"temperature\":21.5}", false);
    MqttTopicList list =
        Awaitility.await()
            .atMost(WAIT)
            .until(
                () -> await(lab.client.mqtt().topics()),
                l ->
                    l.find(PREFIX + "/live").isPresent()
                        && l.find(PREFIX + "/before").isPresent()
                        && l.find(PREFIX + "/binary").isPresent());
    MqttTopicMessage before = list.find(PREFIX + "/before").orElseThrow();
    assertThat(before.payload()).isEqualTo("on");
    assertThat(before.encoding()).isEqualTo("utf-8");
    assertThat(before.retained()).isTrue();
    assertThat(before.receivedAt()).isNotNull();
    MqttTopicMessage live = list.find(PREFIX + "/live").orElseThrow();
    assertThat(live.payload()).isEqualTo("{\"temperature\":21.5}");
    assertThat(live.retained()).isFalse();
    assertThat(live.qos()).isEqualTo(1);
    MqttTopicMessage binary = list.find(PREFIX + "/binary").orElseThrow();
    assertThat(binary.encoding()).isEqualTo("base64");
    assertThat(binary.bytes()).containsExactly(0xff, 0xfe, 0x00, 0x41);
    List<String> topics = list.topics().stream().map(MqttTopicMessage::topic).toList();
    assertThat(topics).isSorted();
    assertThat(lab.client.blocking().mqtt().topics().find(PREFIX + "/before")).isPresent();
  }

  @Test
  void anAdminPublishReachesAnotherSubscriberAndIsAudited() throws Exception {
    String topic = PREFIX + "/out/lamp";
    retained.add(topic);
    // Retained, so that mosquitto_sub gets it whether it subscribed before or after the publish.
    MqttPublished published =
        lab.client.blocking().mqtt().publish(new MqttPublish(topic, "ON", 1, true));
    assertThat(published.queued()).isFalse();
    assertThat(published.bytes()).isEqualTo(2);
    try (Mosquitto.Subscriber sub = new Mosquitto.Subscriber(1, PREFIX + "/out/#")) {
      assertThat(sub.nextLine()).isEqualTo(topic + " ON");
    }
    List<AuditEntry> entries =
        await(lab.client.audit().list(AuditQuery.create().withAction("mqtt.publish"))).items();
    AuditEntry entry =
        entries.stream().filter(e -> e.target().equals("mqtt:" + topic)).findFirst().orElseThrow();
    assertThat(entry.actor()).isEqualTo("admin");
    assertThat(entry.outcome()).isEqualTo("success");
    assertThat(entry.detail().getInteger("qos")).isEqualTo(1);
    assertThat(entry.detail().getBoolean("retain")).isTrue();
    assertThat(entry.detail().getBoolean("queued")).isFalse();
    assertThat(entry.detail().containsKey("payload")).isFalse();
  }

  @Test
  void refusedPublishesSendNothing() {
    String guard = PREFIX + "/guard";
    HomelabClient viewer = lab.newUser("mqtt-viewer", "viewer");
    assertThat(
            awaitFailure(viewer.mqtt().publish(new MqttPublish(guard + "/viewer", "x", 0, false))))
        .isInstanceOf(HomelabForbiddenException.class);
    assertThat(await(viewer.mqtt().topics()).connected()).isTrue();
    assertRefused(new MqttPublish(guard + "/+", "x", 0, false), "topic");
    assertRefused(new MqttPublish(guard + "/#", "x", 0, false), "topic");
    assertRefused(new MqttPublish("", "x", 0, false), "topic");
    assertRefused(new MqttPublish(guard + "/" + "t".repeat(1100), "x", 0, false), "topic");
    assertRefused(new MqttPublish(guard + "/qos", "x", 3, false), "qos");
    assertRefused(new MqttPublish(guard + "/qos", "x", -1, false), "qos");
    assertRefused(new MqttPublish(guard + "/big", "x".repeat(256 * 1024 + 1), 0, false), "payload");
    assertThat(
            await(lab.client.audit().list(AuditQuery.create().withAction("mqtt.publish"))).items())
        .noneMatch(e -> e.target().startsWith("mqtt:" + guard));

    // The bridge hears everything under the prefix: once it heard a marker published after the
    // refusals, anything they had sent would be there too.
    publish(guard + "/marker", "m", false);
    MqttTopicList list =
        Awaitility.await()
            .atMost(WAIT)
            .until(
                () -> await(lab.client.mqtt().topics()),
                l -> l.find(guard + "/marker").isPresent());
    assertThat(list.topics())
        .extracting(MqttTopicMessage::topic)
        .filteredOn(t -> t.startsWith(guard + "/"))
        .containsExactly(guard + "/marker");
  }

  @Test
  void theStreamDeliversTheMessagesItsFilterMatches() throws Exception {
    try (MqttStreamRecorder received = new MqttStreamRecorder(lab.client, PREFIX + "/stream/+")) {
      publish(PREFIX + "/elsewhere", "not for the stream", false);
      publish(PREFIX + "/stream/switch", "{\"state_left\":\"ON\",\"linkquality\":116}", false);
      publish(PREFIX + "/stream/text", "plain", false);
      MqttTopicMessage json = received.next();
      assertThat(json).isNotNull();
      assertThat(json.topic()).isEqualTo(PREFIX + "/stream/switch");
      assertThat(json.encoding()).isEqualTo("json");
      assertThat(new JsonObject(json.payload()))
          .isEqualTo(new JsonObject().put("state_left", "ON").put("linkquality", 116));
      assertThat(json.receivedAt()).isNotNull();
      MqttTopicMessage text = received.next();
      assertThat(text).isNotNull();
      assertThat(text.topic()).isEqualTo(PREFIX + "/stream/text");
      assertThat(text.encoding()).isEqualTo("utf-8");
      assertThat(text.payload()).isEqualTo("plain");
    }
    io.vertx.ext.web.client.HttpResponse<io.vertx.core.buffer.Buffer> bad =
        await(lab.webAdmin.get("/api/mqtt/stream?filter=a%2F%23%2Fb").send());
    assertThat(bad.statusCode()).isEqualTo(422);
    assertThat(bad.bodyAsJsonObject().getString("field")).isEqualTo("filter");
  }

  @Test
  void withoutMqttUrlEveryRouteIsNotConfigured() {
    HomelabHttpException topics = (HomelabHttpException) awaitFailure(off.client.mqtt().topics());
    assertThat(topics).isInstanceOf(HomelabNotFoundException.class);
    assertThat(topics.errorCode()).isEqualTo("MQTT_NOT_CONFIGURED");
    HomelabHttpException publish =
        (HomelabHttpException)
            awaitFailure(off.client.mqtt().publish(new MqttPublish(PREFIX + "/x", "x", 0, false)));
    assertThat(publish.errorCode()).isEqualTo("MQTT_NOT_CONFIGURED");
    assertThat(await(off.webAdmin.get("/api/mqtt/stream").send()).statusCode()).isEqualTo(404);
  }

  @Test
  void doorReadersTopicsAreShownToAdministratorsOnly() throws Exception {
    HomelabClient viewer = lab.newUser("mqtt-doors-viewer", "viewer");
    try (MqttStreamRecorder adminStream = new MqttStreamRecorder(lab.client, PREFIX + "/#");
        MqttStreamRecorder viewerStream = new MqttStreamRecorder(viewer, PREFIX + "/#")) {
      // A card scan names a card: not for every viewer.
      publish(PREFIX + "/doors/front/scan", "{\"card_uid\":\"BA839D07\"}", false);
      publish(PREFIX + "/doors-marker", "m", false);
      Awaitility.await()
          .atMost(WAIT)
          .until(
              () -> viewerStream.payloads().contains("m") && adminStream.payloads().contains("m"));
      assertThat(adminStream.payloads()).contains("{\"card_uid\":\"BA839D07\"}");
      assertThat(viewerStream.payloads()).doesNotContain("{\"card_uid\":\"BA839D07\"}");
    }
    assertThat(await(lab.client.mqtt().topics()).find(PREFIX + "/doors/front/scan")).isPresent();
    MqttTopicList seen = await(viewer.mqtt().topics());
    assertThat(seen.find(PREFIX + "/doors-marker")).isPresent();
    assertThat(seen.topics()).noneMatch(t -> t.topic().startsWith(PREFIX + "/doors/"));
  }

  @Test
  void theDetailedHealthReportsTheBridge() {
    DetailedHealth health = await(lab.client.system().detailedHealth());
    assertThat(health.mqtt()).isNotNull();
    assertThat(health.mqtt().connected()).isTrue();
    assertThat(health.mqtt().connections()).isEqualTo(1);
    assertThat(health.mqtt().dropped()).isZero();
    assertThat(health.mqtt().error()).isNull();
    assertThat(await(off.client.system().detailedHealth()).mqtt()).isNull();
  }

  private static void assertRefused(MqttPublish message, String field) {
    Throwable failure = awaitFailure(lab.client.mqtt().publish(message));
    assertThat(failure).isInstanceOf(HomelabValidationException.class);
    assertThat(((HomelabValidationException) failure).field()).isEqualTo(field);
  }

  private static void publish(String topic, String payload, boolean retain) {
    if (retain) {
      retained.add(topic);
    }
    Mosquitto.publish(topic, payload, retain);
  }
}
