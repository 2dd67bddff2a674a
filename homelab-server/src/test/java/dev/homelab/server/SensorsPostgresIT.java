package dev.homelab.server;

import static dev.homelab.core.testing.VertxTesting.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.homelab.client.HomelabClient;
import dev.homelab.client.devices.Device;
import dev.homelab.client.devices.NewDevice;
import dev.homelab.client.sensors.IngestResult;
import dev.homelab.client.sensors.SensorHistory;
import dev.homelab.client.sensors.SensorQuery;
import dev.homelab.client.sensors.SensorReading;
import dev.homelab.core.testing.PostgresExtension;
import io.vertx.core.Future;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sensor ingestion through the client against a server on PostgreSQL: concurrent batches, each
 * acknowledged only once committed, every reading stored exactly once even when every request is
 * sent twice, and the way to the history through the collector, which on PostgreSQL reads only
 * readings committed a moment ago.
 */
@Timeout(180)
class SensorsPostgresIT {

  @RegisterExtension static final PostgresExtension PG = new PostgresExtension();
  @TempDir static Path dir;
  static ServerTesting lab;
  static String database;
  static HomelabClient alice;

  @BeforeAll
  static void start() {
    database = PG.newDatabase();
    lab = ServerTesting.start(dir, Map.of("DATABASE_URL", PG.uriOf(database)));
    alice = lab.newUser("pg-sensor-alice", "user");
  }

  @AfterAll
  static void stop() {
    lab.close();
  }

  static long rows(String deviceId) throws SQLException {
    try (Connection connection = PG.connect(database);
        PreparedStatement statement =
            connection.prepareStatement(
                "SELECT count(*) FROM sensor_readings WHERE device_id = ?")) {
      statement.setString(1, deviceId);
      try (ResultSet result = statement.executeQuery()) {
        result.next();
        return result.getLong(1);
      }
    }
  }

  @Test
  void concurrentBatchesAreStoredExactlyOnceAndRetriesAreDuplicates() throws SQLException {
    Device hall = await(alice.devices().create(new NewDevice("pg hall", "sensor")));
    Instant t = Instant.now().truncatedTo(ChronoUnit.MILLIS).minusSeconds(40);
    List<List<SensorReading>> batches = new ArrayList<>();
    for (int b = 0; b < 20; b++) {
      List<SensorReading> batch = new ArrayList<>();
      for (int i = 0; i < 50; i++) {
        int n = b * 50 + i;
        batch.add(
            SensorReading.of(hall.id())
                .withTimestamp(t.plusMillis(n))
                .withMessageId("m-" + n)
                .with("temperature", 20 + n % 10)
                .with("humidity", 40));
      }
      batches.add(batch);
    }
    List<Future<IngestResult>> sent = new ArrayList<>();
    // Every batch twice at once: a retry racing its original.
    for (List<SensorReading> batch : batches) {
      sent.add(alice.sensors().ingest(batch));
      sent.add(alice.sensors().ingest(batch));
    }
    await(Future.all(new ArrayList<>(sent)));
    int stored = 0;
    int duplicates = 0;
    for (Future<IngestResult> answer : sent) {
      stored += answer.result().stored();
      duplicates += answer.result().duplicates();
    }
    assertThat(stored).isEqualTo(1000);
    assertThat(duplicates).isEqualTo(1000);
    // Acknowledged means committed: every reading is in the table once.
    assertThat(rows(hall.id())).isEqualTo(1000);

    IngestResult again = await(alice.sensors().ingest(batches.get(3)));
    assertThat(again).isEqualTo(new IngestResult(50, 0, 50));
    assertThat(rows(hall.id())).isEqualTo(1000);
  }

  @Test
  void committedReadingsReachTheHistory() throws InterruptedException {
    Device cellar = await(alice.devices().create(new NewDevice("pg cellar", "sensor")));
    Instant t = Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(30);
    await(
        alice
            .sensors()
            .ingest(
                List.of(
                    SensorReading.of(cellar.id()).withTimestamp(t).with("temperature", 12),
                    SensorReading.of(cellar.id())
                        .withTimestamp(t.plusSeconds(10))
                        .with("temperature", 14))));
    SensorQuery query =
        SensorQuery.range(cellar.id(), t.minusSeconds(60), Instant.now().plusSeconds(60));
    SensorHistory history = await(alice.sensors().readings(query));
    // The collector runs every second and, on PostgreSQL, reads readings committed 2 s ago.
    for (int i = 0; i < 300 && history.data().size() < 2; i++) {
      Thread.sleep(50);
      history = await(alice.sensors().readings(query));
    }
    assertThat(history.fields()).containsExactly("temperature");
    assertThat(history.data()).extracting(r -> r.value("temperature")).containsExactly(12.0, 14.0);
  }
}
