package dev.homelab.server;

import static dev.homelab.core.testing.VertxTesting.await;
import static dev.homelab.core.testing.VertxTesting.awaitFailure;
import static org.assertj.core.api.Assertions.assertThat;

import dev.homelab.client.HomelabClient;
import dev.homelab.client.HomelabHttpException;
import dev.homelab.client.HomelabValidationException;
import dev.homelab.client.devices.Device;
import dev.homelab.client.devices.NewDevice;
import dev.homelab.client.sensors.IngestResult;
import dev.homelab.client.sensors.SensorHistory;
import dev.homelab.client.sensors.SensorQuery;
import dev.homelab.client.sensors.SensorReading;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sensor ingestion and history through the client against a real server (SQLite): one reading and
 * batches, duplicates, refusals naming the field, who may send and read, device tokens for their
 * own device only, and the way from a commit to the history served from the metric tiers.
 */
class SensorsApiTest {

  @TempDir static Path dir;
  static ServerTesting lab;
  static HomelabClient alice;
  static HomelabClient bob;
  static HomelabClient viewer;

  @BeforeAll
  static void start() {
    lab = ServerTesting.start(dir);
    alice = lab.newUser("sensor-alice", "user");
    bob = lab.newUser("sensor-bob", "user");
    viewer = lab.newUser("sensor-viewer", "viewer");
  }

  @AfterAll
  static void stop() {
    lab.close();
  }

  static Device sensor(HomelabClient owner, String name) {
    return await(owner.devices().create(new NewDevice(name, "sensor")));
  }

  static Instant now() {
    return Instant.now().truncatedTo(ChronoUnit.MILLIS);
  }

  static HomelabHttpException failure(Future<?> call) {
    Throwable failure = awaitFailure(call);
    assertThat(failure).isInstanceOf(HomelabHttpException.class);
    return (HomelabHttpException) failure;
  }

  static String invalidField(Future<?> call) {
    HomelabHttpException failure = failure(call);
    assertThat(failure.status()).isEqualTo(422);
    return ((HomelabValidationException) failure).field();
  }

  @Test
  void aReadingIsStoredOnceAndABatchCountsItsDuplicates() {
    Device hall = sensor(alice, "hall");
    Instant t = now().minusSeconds(10);
    SensorReading reading =
        SensorReading.of(hall.id())
            .withTimestamp(t)
            .withMessageId("m-1")
            .with("temperature", 21.5)
            .with("humidity", 45)
            .with("pressure", 1013.2);
    assertThat(await(alice.sensors().ingest(reading))).isEqualTo(new IngestResult(1, 1, 0));
    // The retry of a reading whose answer was lost: 200, nothing stored again.
    assertThat(await(alice.sensors().ingest(reading))).isEqualTo(new IngestResult(1, 0, 1));
    IngestResult batch =
        await(
            alice
                .sensors()
                .ingest(
                    List.of(
                        reading,
                        SensorReading.of(hall.id())
                            .withTimestamp(t.plusSeconds(1))
                            .with("co2", 600),
                        SensorReading.of(hall.id()).with("temperature", 21.7))));
    assertThat(batch).isEqualTo(new IngestResult(3, 2, 1));
  }

  @Test
  void badReadingsAreRefusedNamingTheFieldAndNothingIsStored() {
    Device attic = sensor(alice, "attic");
    Instant t = now();
    assertThat(
            invalidField(
                alice
                    .sensors()
                    .ingest(
                        SensorReading.of(attic.id())
                            .withTimestamp(t.minusSeconds(3600))
                            .with("temperature", 1))))
        .isEqualTo("ts");
    assertThat(
            invalidField(
                alice
                    .sensors()
                    .ingest(
                        List.of(
                            SensorReading.of(attic.id()).with("temperature", 1),
                            SensorReading.of(attic.id())
                                .withTimestamp(t.plusSeconds(3600))
                                .with("temperature", 2)))))
        .isEqualTo("readings[1].ts");
    assertThat(invalidField(alice.sensors().ingest(SensorReading.of(attic.id()))))
        .isEqualTo("values");
    assertThat(
            invalidField(
                alice.sensors().ingest(SensorReading.of(attic.id()).with("Not-A-Name", 1))))
        .isEqualTo("values");

    // What the typed client cannot send: text where a number belongs, a date that is not one.
    assertThat(raw(new JsonObject().put("device_id", attic.id()).put("temperature", "warm")))
        .isEqualTo(422);
    assertThat(raw(new JsonObject().put("device_id", attic.id()).put("ts", "noon").put("t", 1)))
        .isEqualTo(422);
    assertThat(raw(new JsonObject().put("device_id", attic.id()).put("t", 1).put("x", true)))
        .isEqualTo(422);
    assertThat(history(alice, attic.id()).data()).isEmpty();
    assertThat(await(alice.sensors().ingest(SensorReading.of(attic.id()).with("t", 1))).stored())
        .isEqualTo(1);
  }

  private static int raw(JsonObject body) {
    HttpResponse<Buffer> response =
        await(lab.webAdmin.post("/api/sensors/ingest").sendJsonObject(body));
    if (response.statusCode() == 422) {
      assertThat(response.bodyAsJsonObject().getString("error_code"))
          .isEqualTo("VALIDATION_FAILED");
    }
    return response.statusCode();
  }

  @Test
  void anotherUsersDeviceIsRefusedLikeAMissingOneAndAViewerMayNotSend() {
    Device kitchen = sensor(alice, "kitchen");
    SensorReading reading = SensorReading.of(kitchen.id()).with("temperature", 20);
    HomelabHttpException foreign = failure(bob.sensors().ingest(reading));
    HomelabHttpException missing =
        failure(
            alice
                .sensors()
                .ingest(SensorReading.of(UUID.randomUUID().toString()).with("temperature", 20)));
    assertThat(List.of(foreign, missing))
        .allSatisfy(
            e -> {
              assertThat(e.status()).isEqualTo(422);
              assertThat(((HomelabValidationException) e).field()).isEqualTo("device_id");
              assertThat(e.detail()).isEqualTo(foreign.detail());
            });
    assertThat(failure(viewer.sensors().ingest(reading)).status()).isEqualTo(403);
    assertThat(invalidField(bob.sensors().readings(SensorQuery.last(kitchen.id(), "1h"))))
        .isEqualTo("device_id");
    // An administrator may send for anyone's device.
    assertThat(await(lab.client.sensors().ingest(reading)).stored()).isEqualTo(1);
  }

  @Test
  void aDeviceTokenSendsForItsOwnDeviceOnly() {
    Device porch = sensor(alice, "porch");
    Device garden = sensor(alice, "garden");
    String token = await(alice.devices().issueToken(porch.id())).token();
    TestSecrets.remember(token);
    HomelabClient device = lab.newClient(token);
    assertThat(await(device.sensors().ingest(SensorReading.of(porch.id()).with("lux", 300))))
        .isEqualTo(new IngestResult(1, 1, 0));
    HomelabHttpException other =
        failure(device.sensors().ingest(SensorReading.of(garden.id()).with("lux", 300)));
    assertThat(other.status()).isEqualTo(403);
    assertThat(other.errorCode()).isEqualTo("FORBIDDEN");
    // A device sends; it does not read.
    assertThat(failure(device.sensors().readings(SensorQuery.last(porch.id(), "1h"))).status())
        .isEqualTo(403);
    String accessKey = await(lab.client.auth().createKey("door", "access", null)).secret();
    TestSecrets.remember(accessKey);
    assertThat(
            failure(
                    lab.newClient(accessKey)
                        .sensors()
                        .ingest(SensorReading.of(porch.id()).with("lux", 1)))
                .status())
        .isEqualTo(403);
  }

  static SensorHistory history(HomelabClient who, String deviceId) {
    return await(
        who.sensors()
            .readings(SensorQuery.range(deviceId, now().minusSeconds(600), now().plusSeconds(60))));
  }

  @Test
  void committedReadingsReachTheHistoryThroughTheMetricTiers() throws InterruptedException {
    Device cellar = sensor(alice, "cellar");
    Instant t = now().minusSeconds(20);
    await(
        alice
            .sensors()
            .ingest(
                List.of(
                    SensorReading.of(cellar.id())
                        .withTimestamp(t)
                        .with("temperature", 12.5)
                        .with("humidity", 80),
                    SensorReading.of(cellar.id())
                        .withTimestamp(t.plusSeconds(5))
                        .with("temperature", 13.5)
                        .with("humidity", 81))));
    // The leader's collector feeds them into the tiers within a second or two.
    SensorHistory history = history(alice, cellar.id());
    for (int i = 0; i < 200 && history.data().size() < 2; i++) {
      Thread.sleep(50);
      history = history(alice, cellar.id());
    }
    assertThat(history.deviceId()).isEqualTo(cellar.id());
    assertThat(history.tier()).isEqualTo("raw");
    assertThat(history.interval()).isNull();
    assertThat(history.fields()).containsExactly("humidity", "temperature");
    assertThat(history.data()).hasSize(2);
    assertThat(history.data().get(0).timestamp()).isEqualTo(t.getEpochSecond());
    assertThat(history.data().get(0).value("temperature")).isEqualTo(12.5);
    assertThat(history.data().get(1).value("humidity")).isEqualTo(81.0);

    // The generic metrics routes do not open the tiers to other users: the series of a sensor are
    // its owner's (through /api/sensors/readings) and an admin's.
    String key = "sensor.temperature{device=" + cellar.id() + "}";
    assertThat(await(lab.client.metrics().series())).contains(key);
    assertThat(
            await(
                    lab.client
                        .metrics()
                        .query(dev.homelab.client.metrics.MetricQuery.last(key, "1h")))
                .points())
        .isNotEmpty();
    for (HomelabClient other : List.of(bob, viewer, alice)) {
      assertThat(await(other.metrics().series())).noneMatch(k -> k.startsWith("sensor."));
      assertThat(
              failure(other.metrics().query(dev.homelab.client.metrics.MetricQuery.last(key, "1h")))
                  .status())
          .isEqualTo(403);
    }

    SensorHistory one =
        await(
            alice
                .sensors()
                .readings(
                    SensorQuery.range(cellar.id(), t.minusSeconds(60), now().plusSeconds(60))
                        .fields("temperature")
                        .withMaxPoints(3)));
    assertThat(one.fields()).containsExactly("temperature");
    assertThat(one.data()).extracting(r -> r.value("temperature")).containsExactly(12.5, 13.5);
    assertThat(one.data()).allSatisfy(r -> assertThat(r.values()).containsOnlyKeys("temperature"));
    assertThat(
            invalidField(
                alice.sensors().readings(SensorQuery.last(cellar.id(), "1h").withMaxPoints(2))))
        .isEqualTo("max_points");
    assertThat(
            invalidField(
                alice.sensors().readings(SensorQuery.last(cellar.id(), "1h").fields("Bad"))))
        .isEqualTo("fields");
  }
}
