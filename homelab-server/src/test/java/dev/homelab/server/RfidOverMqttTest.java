package dev.homelab.server;

import static dev.homelab.core.testing.VertxTesting.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.homelab.client.access.AccessLogEntry;
import dev.homelab.client.access.AccessLogQuery;
import dev.homelab.client.access.NewCardPolicy;
import dev.homelab.simulators.rfid.RfidFixtures;
import dev.homelab.simulators.rfid.RfidFixtures.Fixture;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Acceptance 1 of issue 19, on the broker: {@code mosquitto_pub} of every RFID fixture payload on
 * the real Mosquitto, on the topic its firmware uses, gets the access engine's decision on the
 * reader's decision topic, for a card with a policy (created through the client) and an unknown
 * one; a heartbeat gets none. The readers' base topic and every reader id are this test's own.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RfidOverMqttTest {

  private static final String PREFIX =
      "hltest-rfid-" + UUID.randomUUID().toString().substring(0, 8);
  private static final String BASE = PREFIX + "/access";

  /** The cards the real fixtures report, in canonical form, and one for the placeholders. */
  private static final List<String> KNOWN =
      List.of("F9C2F720", "53BB1F05110001", "BA839D07", "763AE8", "A1B2C3D4");

  @TempDir static Path dir;
  static ServerTesting lab;

  @BeforeAll
  static void start() {
    lab =
        ServerTesting.start(
            dir,
            Map.of(
                "MQTT_URL",
                "mqtt://127.0.0.1:1883",
                "MQTT_SUBSCRIPTIONS",
                PREFIX + "/#,tele/+/SENSOR",
                "MQTT_ACCESS_TOPIC",
                BASE,
                // Each format's unknown card is a denial at one reader: no lockout after five.
                "ACCESS_LOCKOUT_THRESHOLD",
                "0"));
    for (String uid : KNOWN) {
      await(lab.client.access().createCard(NewCardPolicy.of(uid).withHolder("Holder " + uid)));
    }
    org.awaitility.Awaitility.await()
        .atMost(java.time.Duration.ofSeconds(20))
        .until(() -> await(lab.client.mqtt().topics()).connected());
  }

  @AfterAll
  static void stop() {
    if (lab != null) {
      lab.close();
    }
  }

  @Test
  void everyFixtureOnTheBrokerGetsTheEnginesDecision() throws Exception {
    String reader = "door-" + UUID.randomUUID().toString().substring(0, 8);
    try (MosquittoPeers.Subscriber decisions =
        MosquittoPeers.BROKER.subscribe(BASE + "/+/decision")) {
      for (Fixture fixture : RfidFixtures.all()) {
        String topic = fixture.topic(BASE, reader);
        if (!fixture.scan()) {
          // Nothing comes back for a heartbeat: the next decision is the next scan's.
          MosquittoPeers.BROKER.publishOrFail(topic, fixture.payload());
          continue;
        }
        String granted = fixture.placeholder() ? fixture.withUid("a1:b2:c3:d4") : fixture.payload();
        MosquittoPeers.BROKER.publishOrFail(topic, granted);
        JsonObject yes = decision(decisions.nextLine(), reader);
        assertThat(yes.getBoolean("granted")).as(fixture.name() + " " + yes).isTrue();
        assertThat(yes.getString("reason")).isEqualTo("GRANTED");
        assertThat(KNOWN).contains(yes.getString("card_uid"));
        assertThat(yes.containsKey("holder")).as("no names on a shared broker").isFalse();

        Object unknownUid = fixture.uid() instanceof Number ? 99_999_999 : "0badcafe";
        MosquittoPeers.BROKER.publishOrFail(topic, fixture.withUid(unknownUid));
        JsonObject no = decision(decisions.nextLine(), reader);
        assertThat(no.getBoolean("granted")).as(fixture.name()).isFalse();
        assertThat(no.getString("reason")).isEqualTo("UNKNOWN_CARD");
      }
    }
    // Each answered scan is in the access log, as an HTTP check would be.
    List<AccessLogEntry> logged =
        await(lab.client.access().logs(AccessLogQuery.newest().withDeviceId(reader))).items();
    long scans = RfidFixtures.all().stream().filter(Fixture::scan).count();
    assertThat(logged).hasSize((int) scans * 2);
  }

  @Test
  void tasmotaOnItsDefaultTopicAndHomelabsOwnScan() throws Exception {
    String reader = "tasmota-" + UUID.randomUUID().toString().substring(0, 8);
    Fixture rc522 =
        RfidFixtures.all().stream()
            .filter(f -> f.name().equals("tasmota-rc522-sensor"))
            .findFirst()
            .orElseThrow();
    try (MosquittoPeers.Subscriber decisions =
        MosquittoPeers.BROKER.subscribe(BASE + "/" + reader + "/decision")) {
      MosquittoPeers.BROKER.publishOrFail("tele/" + reader + "/SENSOR", rc522.payload());
      JsonObject tasmota = decision(decisions.nextLine(), reader);
      assertThat(tasmota.getString("card_uid")).isEqualTo("BA839D07");
      assertThat(tasmota.getBoolean("granted")).isTrue();

      // An unreadable scan is counted and skipped: the bridge goes on answering.
      MosquittoPeers.BROKER.publishOrFail(BASE + "/" + reader + "/scan", "{\"card_uid\":\"zz\"}");
      MosquittoPeers.BROKER.publishOrFail(
          BASE + "/" + reader + "/scan", "{\"card_uid\":\"ba:83:9d:07\"}");
      JsonObject own = decision(decisions.nextLine(), reader);
      assertThat(own.getString("card_uid")).isEqualTo("BA839D07");
      assertThat(own.getString("decision_id")).isNotBlank();
    }
    assertThat(lab.server.mqttReaders().malformedCount()).isPositive();
    assertThat(lab.registry.get("homelab.mqtt.access.malformed").functionCounter().count())
        .isPositive();
    assertThat(lab.registry.get("homelab.mqtt.access.scans").functionCounter().count())
        .isPositive();
  }

  private static JsonObject decision(String line, String reader) {
    String topic = BASE + "/" + reader + "/decision";
    assertThat(line).startsWith(topic + " ");
    return new JsonObject(line.substring(topic.length() + 1));
  }
}
