package dev.homelab.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.homelab.core.testing.PostgresExtension;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 19, acceptance 3: 50 sensors publish their readings at QoS 1 to the device gateway, 10 a
 * second each, for 60 s; then the server is killed with {@code kill -9} while readings are still
 * coming. Every reading whose PUBACK a sensor got is in the database, exactly once; and no reading
 * is there twice, PUBACKed or not. On PostgreSQL for the full minute, on SQLite (the embedded
 * default) for 10 s.
 *
 * <p>Each sensor is a real MQTT client (vertx-mqtt) connecting with its device id and device token;
 * a reading carries its own {@code message_id}, so the check is by (device, message id).
 */
@Timeout(240)
class SensorGatewayDurabilityIT {

  @RegisterExtension static final PostgresExtension PG = new PostgresExtension();

  private static final int SENSORS = 50;
  private static final int PER_SECOND = 10;

  private final ServerJar jars = new ServerJar();
  private Vertx vertx;
  @TempDir Path dir;

  @AfterEach
  void stop() {
    jars.close();
    if (vertx != null) {
      vertx.close().toCompletionStage().toCompletableFuture().join();
    }
  }

  @Test
  void onPostgres() throws Exception {
    String database = PG.newDatabase();
    everyAcknowledgedReadingSurvivesKill9(
        Map.of("DATABASE_URL", PG.uriOf(database)), 60, () -> PG.connect(database));
  }

  @Test
  void onSqlite() throws Exception {
    Path db = dir.resolve("data/homelab.db");
    everyAcknowledgedReadingSurvivesKill9(
        Map.of(), 10, () -> DriverManager.getConnection("jdbc:sqlite:" + db));
  }

  interface Jdbc {
    Connection open() throws SQLException;
  }

  private void everyAcknowledgedReadingSurvivesKill9(
      Map<String, String> env, int seconds, Jdbc database) throws Exception {
    int port = ServerJar.freePort();
    int gateway = ServerJar.freePort();
    Map<String, String> config = new HashMap<>(env);
    config.put("PORT", String.valueOf(port));
    config.put("MQTT_GATEWAY_PORT", String.valueOf(gateway));
    config.put("RATE_LIMIT_PER_MINUTE", "1000000");
    Process server = jars.launch(dir, config);
    jars.awaitUp(server, port, dir);
    String jwt = jars.login(port, dir);

    vertx = Vertx.vertx();
    List<MqttSensor> sensors = new ArrayList<>();
    for (int i = 0; i < SENSORS; i++) {
      JsonObject device =
          post(
              port,
              jwt,
              "/api/devices",
              new JsonObject().put("name", "sensor " + i).put("device_type", "sensor"));
      String id = device.getString("id");
      String token =
          post(port, jwt, "/api/devices/" + id + "/token", new JsonObject()).getString("token");
      sensors.add(MqttSensor.connect(vertx, gateway, id, token, "sensor-" + i, "m"));
    }

    // 50 sensors x 10/s, each on a timer of its own, for the whole run; then kill -9 mid-stream.
    for (MqttSensor sensor : sensors) {
      sensor.timer = vertx.setPeriodic(1000 / PER_SECOND, id -> sensor.publishNext());
    }
    Thread.sleep(TimeUnit.SECONDS.toMillis(seconds));
    server.destroyForcibly(); // SIGKILL: no shutdown hook runs
    assertThat(server.waitFor(10, TimeUnit.SECONDS)).isTrue();
    for (MqttSensor sensor : sensors) {
      vertx.cancelTimer(sensor.timer);
    }

    long acknowledged = sensors.stream().mapToLong(s -> s.acked.size()).sum();
    long sent = sensors.stream().mapToLong(s -> s.sent).sum();
    // At least four fifths of what was due: the gateway kept up (the rest were in flight or
    // refused as the machine allows; they only have to be stored at most once).
    assertThat(acknowledged)
        .as("PUBACKed readings of %d sent", sent)
        .isGreaterThan((long) SENSORS * PER_SECOND * seconds * 4 / 5);

    Map<String, Integer> stored = new HashMap<>();
    try (Connection connection = database.open();
        Statement statement = connection.createStatement();
        ResultSet rows =
            statement.executeQuery(
                "SELECT device_id, message_id, COUNT(*) FROM sensor_readings"
                    + " GROUP BY device_id, message_id")) {
      while (rows.next()) {
        stored.put(rows.getString(1) + "/" + rows.getString(2), rows.getInt(3));
      }
    }
    assertThat(stored.values()).as("readings stored more than once").allMatch(n -> n == 1);
    List<String> missing = new ArrayList<>();
    for (MqttSensor sensor : sensors) {
      for (String messageId : sensor.acked) {
        if (!stored.containsKey(sensor.deviceId + "/" + messageId)) {
          missing.add(sensor.deviceId + "/" + messageId);
        }
      }
    }
    assertThat(missing).as("PUBACKed readings missing after kill -9").isEmpty();
    System.out.printf(
        "%d sensors, %d s: %d readings sent, %d PUBACKed, %d stored (each once)%n",
        SENSORS, seconds, sent, acknowledged, stored.size());
  }

  private JsonObject post(int port, String jwt, String path, JsonObject body) throws Exception {
    HttpResponse<String> response =
        jars.http.send(ServerJar.post(port, path, jwt, body), HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode() / 100).as(path + ": " + response.body()).isEqualTo(2);
    return new JsonObject(response.body());
  }
}
