package dev.homelab.server;

import static dev.homelab.core.testing.VertxTesting.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.homelab.core.store.Storage;
import dev.homelab.core.store.StorageOptions;
import dev.homelab.core.telemetry.StoredReading;
import dev.homelab.core.testing.PostgresExtension;
import dev.homelab.core.testing.VertxTesting;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Acknowledged sensor readings survive {@code kill -9}, each stored exactly once: batches through
 * the API, every one answered, then more in flight (each sent twice, as a client retrying at once
 * would) when the server process is killed; every reading of an answered request must be in the
 * table, and no reading twice, on SQLite and on PostgreSQL. On SQLite the killed server's file then
 * passes {@code PRAGMA integrity_check} (reliability matrix row F4).
 */
@Timeout(180)
class SensorDurabilityIT {

  @RegisterExtension static final PostgresExtension PG = new PostgresExtension();

  private static final int BATCHES = 300;
  private static final int BATCH = 20;
  private static final int IN_FLIGHT = 16;

  private final ServerJar jars = new ServerJar();
  @TempDir Path dir;

  @AfterEach
  void killLeftovers() {
    jars.close();
  }

  @Test
  void onSqlite() throws Exception {
    everyAcknowledgedReadingSurvivesKill9Once(
        Map.of(), new StorageOptions().setSqlitePath(dir.resolve("data/homelab.db").toString()));
  }

  @Test
  void onPostgres() throws Exception {
    String url = PG.uriOf(PG.newDatabase());
    everyAcknowledgedReadingSurvivesKill9Once(
        Map.of("DATABASE_URL", url), StorageOptions.fromUri(url));
  }

  private void everyAcknowledgedReadingSurvivesKill9Once(
      Map<String, String> env, StorageOptions store) throws Exception {
    ServerJar.Started started = jars.start(dir, env);
    Process server = started.process();
    int port = started.port();
    String jwt = started.jwt();
    String device = jars.createDevice(started, "durable sensor", "sensor");

    Set<String> acknowledged = ConcurrentHashMap.newKeySet();
    // Phase 1: every batch answered.
    AtomicInteger failures = new AtomicInteger();
    send(port, jwt, device, 0, BATCHES, acknowledged, failures, () -> false);
    assertThat(failures.get()).isZero();
    assertThat(acknowledged).hasSize(BATCHES * BATCH);

    // Phase 2: batches in flight, each twice, when the server is killed.
    int before = acknowledged.size();
    CompletableFuture<Void> killer =
        ServerJar.killWhen(server, () -> acknowledged.size() >= before + 50 * BATCH);
    send(
        port,
        jwt,
        device,
        BATCHES,
        100_000,
        acknowledged,
        new AtomicInteger(),
        () -> !server.isAlive());
    ServerJar.assertKilled(server, killer);
    assertThat(acknowledged.size()).isGreaterThan(before);

    List<String> stored = storedMessageIds(store);
    Set<String> distinct = new HashSet<>(stored);
    assertThat(stored).as("no reading stored twice").hasSameSizeAs(distinct);
    Set<String> missing = new HashSet<>(acknowledged);
    missing.removeAll(distinct);
    assertThat(missing).as("acknowledged readings not stored").isEmpty();
    if (store.kind() == dev.homelab.core.store.StorageKind.SQLITE) {
      // Reliability row F4: the file a kill -9 left (with its WAL) is whole, not only readable.
      try (java.sql.Connection db =
              java.sql.DriverManager.getConnection("jdbc:sqlite:" + store.resolvedSqlitePath());
          java.sql.Statement check = db.createStatement();
          java.sql.ResultSet result = check.executeQuery("PRAGMA integrity_check")) {
        assertThat(result.next()).isTrue();
        assertThat(result.getString(1)).isEqualTo("ok");
        assertThat(result.next()).as("only one line: ok").isFalse();
      }
    }
  }

  /**
   * Sends batches with a bounded number in flight; from {@code first} on (phase 2) each batch goes
   * twice at once. Records the message ids of every reading whose request was answered 2xx.
   */
  private void send(
      int port,
      String jwt,
      String device,
      int first,
      int count,
      Set<String> acknowledged,
      AtomicInteger failures,
      java.util.function.BooleanSupplier stop)
      throws InterruptedException {
    Semaphore slots = new Semaphore(IN_FLIGHT);
    boolean twice = first > 0;
    for (int b = first; b < first + count && !stop.getAsBoolean(); b++) {
      JsonArray readings = new JsonArray();
      List<String> ids = new ArrayList<>();
      for (int i = 0; i < BATCH; i++) {
        String id = "b" + b + "-" + i;
        ids.add(id);
        readings.add(
            new JsonObject()
                .put("device_id", device)
                .put("timestamp", Instant.now().toString())
                .put("message_id", id)
                .put("temperature", 20 + i % 5)
                .put("humidity", 40));
      }
      JsonObject body = new JsonObject().put("readings", readings);
      for (int copy = 0; copy < (twice ? 2 : 1); copy++) {
        slots.acquire();
        jars.http
            .sendAsync(
                ServerJar.post(port, "/api/sensors/ingest", jwt, body),
                HttpResponse.BodyHandlers.ofString())
            .whenComplete(
                (response, failure) -> {
                  if (failure == null && response.statusCode() / 100 == 2) {
                    acknowledged.addAll(ids);
                  } else {
                    failures.incrementAndGet();
                  }
                  slots.release();
                });
      }
    }
    slots.acquire(IN_FLIGHT); // wait for the last answers (or failures)
  }

  /** Every stored reading's message id, in storage order, read through core. */
  static List<String> storedMessageIds(StorageOptions options) {
    Vertx vertx = VertxTesting.vertx();
    try {
      Storage storage = await(Storage.open(vertx, options));
      try {
        List<String> ids = new ArrayList<>();
        long position = 0;
        Instant later = Instant.now().plusSeconds(3600);
        while (true) {
          List<StoredReading> page = await(storage.sensorReadings().after(position, later, 5_000));
          if (page.isEmpty()) {
            return ids;
          }
          page.forEach(r -> ids.add(r.reading().messageId()));
          position = page.get(page.size() - 1).position();
        }
      } finally {
        await(storage.close());
      }
    } finally {
      await(vertx.close());
    }
  }
}
