package dev.homelab.server;

import static dev.homelab.core.testing.VertxTesting.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.homelab.client.HomelabClient;
import dev.homelab.client.HomelabHttpException;
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
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.awaitility.Awaitility;
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
    // A short lease: the backend kills take the leader's lock session, and the history test
    // needs the collectors running again soon after.
    lab =
        ServerTesting.start(
            dir, Map.of("DATABASE_URL", PG.uriOf(database), "LEADER_TTL_SECONDS", "3"));
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
  void committedReadingsReachTheHistory() {
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
    // The collector runs every second and, on PostgreSQL, reads readings committed 2 s ago.
    SensorHistory history =
        Awaitility.await()
            .atMost(Duration.ofSeconds(15))
            .pollInterval(Duration.ofMillis(50))
            .until(() -> await(alice.sensors().readings(query)), found -> found.data().size() >= 2);
    assertThat(history.fields()).containsExactly("temperature");
    assertThat(history.data()).extracting(r -> r.value("temperature")).containsExactly(12.0, 14.0);
  }

  /**
   * Reliability row F2: the PostgreSQL backends serving the server are terminated again and again
   * ({@code pg_terminate_backend}) while four lanes send batches. Every answer is a success or a
   * 503 in the standard body, never another status; each batch is in the table whole or not at all;
   * a retry of every batch after the kills stores what was missing exactly once.
   */
  @Test
  void batchesWhoseBackendsAreKilledAreAllOrNothingAndRetriesStoreThemOnce() throws Exception {
    Device porch = await(alice.devices().create(new NewDevice("pg porch", "sensor")));
    Instant t = Instant.now().truncatedTo(ChronoUnit.MILLIS).minusSeconds(60);
    int batches = 80;
    int size = 25;
    List<List<SensorReading>> all = new ArrayList<>();
    for (int b = 0; b < batches; b++) {
      List<SensorReading> batch = new ArrayList<>();
      for (int i = 0; i < size; i++) {
        int n = b * size + i;
        batch.add(
            SensorReading.of(porch.id())
                .withTimestamp(t.plusMillis(n))
                .withMessageId("k-" + n)
                .with("temperature", n % 30));
      }
      all.add(batch);
    }
    AtomicBoolean sending = new AtomicBoolean(true);
    AtomicInteger killed = new AtomicInteger();
    // Bounded: at most 200 rounds, 20 ms apart, while the lanes send.
    CompletableFuture<Void> killer =
        CompletableFuture.runAsync(
            () -> {
              try (Connection connection = PG.connect(database);
                  PreparedStatement terminate =
                      connection.prepareStatement(
                          "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                              + " WHERE datname = ? AND pid <> pg_backend_pid()")) {
                terminate.setString(1, database);
                for (int round = 0; round < 200 && sending.get(); round++) {
                  try (ResultSet result = terminate.executeQuery()) {
                    result.next();
                    killed.addAndGet(result.getInt(1));
                  }
                  LockSupport.parkNanos(20_000_000);
                }
              } catch (SQLException e) {
                throw new IllegalStateException(e);
              }
            });
    List<Integer> statuses = Collections.synchronizedList(new ArrayList<>());
    List<Future<Void>> lanes = new ArrayList<>();
    for (int lane = 0; lane < 4; lane++) {
      int first = lane;
      lanes.add(sendInTurn(all, first, 4, statuses));
    }
    await(Future.join(new ArrayList<>(lanes)));
    sending.set(false);
    killer.get(30, TimeUnit.SECONDS);

    assertThat(killed.get()).as("backends terminated").isPositive();
    assertThat(statuses).hasSize(batches).allMatch(status -> status == 200 || status == 503);
    assertThat(statuses).as("some batches were cut").contains(503);
    for (int b = 0; b < batches; b++) {
      assertThat(rowsOf(porch.id(), b * size, size))
          .as("batch " + b + " is whole or absent")
          .isIn(0L, (long) size);
    }
    long before = rows(porch.id());
    int stored = 0;
    for (List<SensorReading> batch : all) {
      stored += await(alice.sensors().ingest(batch)).stored();
    }
    assertThat(before + stored).isEqualTo((long) batches * size);
    assertThat(rows(porch.id())).isEqualTo((long) batches * size);
    // The kills took the leader's lock session too: the collectors (the history test's) run again
    // once it leads again, within its lease.
    Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> PostgresOutageIT.leads(lab));
  }

  /**
   * Sends every {@code step}-th batch from {@code first}, one after the other; records statuses.
   */
  private static Future<Void> sendInTurn(
      List<List<SensorReading>> all, int index, int step, List<Integer> statuses) {
    if (index >= all.size()) {
      return Future.succeededFuture();
    }
    return alice
        .sensors()
        .ingest(all.get(index))
        .transform(
            answer -> {
              if (answer.succeeded()) {
                statuses.add(200);
              } else if (answer.cause() instanceof HomelabHttpException http
                  && "STORAGE_UNAVAILABLE".equals(http.errorCode())) {
                statuses.add(http.status());
              } else {
                statuses.add(-1);
                System.err.println("batch " + index + ": " + answer.cause());
              }
              return sendInTurn(all, index + step, step, statuses);
            });
  }

  /** The rows of one device whose message ids are {@code k-from} .. {@code k-(from+count-1)}. */
  private static long rowsOf(String deviceId, int from, int count) throws SQLException {
    try (Connection connection = PG.connect(database);
        PreparedStatement statement =
            connection.prepareStatement(
                "SELECT count(*) FROM sensor_readings WHERE device_id = ? AND message_id = ANY(?)")) {
      statement.setString(1, deviceId);
      String[] ids = new String[count];
      for (int i = 0; i < count; i++) {
        ids[i] = "k-" + (from + i);
      }
      statement.setArray(2, connection.createArrayOf("text", ids));
      try (ResultSet result = statement.executeQuery()) {
        result.next();
        return result.getLong(1);
      }
    }
  }
}
