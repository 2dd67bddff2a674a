package dev.homelab.server;

import static dev.homelab.core.testing.VertxTesting.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.homelab.client.HomelabClient;
import dev.homelab.client.HomelabHttpException;
import dev.homelab.client.devices.Device;
import dev.homelab.client.devices.NewDevice;
import dev.homelab.client.sensors.SensorReading;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * PostgreSQL crashes under a server that is taking writes (reliability matrix row F1): a PostgreSQL
 * of the test's own is stopped with {@code -m immediate} while sensor readings stream in (four
 * calls always in flight) and then started again. While it is down every write is answered 503 well
 * within the request timeout (none hangs, none is a 500), readiness answers 503, and after it is
 * back the same server process serves reads and writes again within a bounded time; every reading
 * acknowledged before, during or after the crash is stored.
 */
class PostgresOutageIT {

  /** The request timeout the server runs with: no answer may take longer (plus slack). */
  static final int REQUEST_TIMEOUT_SECONDS = 5;

  @TempDir Path dir;
  @RegisterExtension final LogCapture logs = new LogCapture();

  private OwnPostgres postgres;
  private ServerTesting lab;

  @AfterEach
  void stop() {
    try {
      if (lab != null) {
        lab.close();
      }
    } finally {
      if (postgres != null) {
        postgres.close();
      }
    }
  }

  @Test
  void writesAreRefusedFastWhileItIsDownAndServedAgainWithoutARestartLosingNothing()
      throws Exception {
    assumeTrue(OwnPostgres.available(), "PostgreSQL's binaries (and, as root, a postgres account)");
    postgres = OwnPostgres.start(dir);
    lab =
        ServerTesting.start(
            dir.resolve("server"),
            Map.of(
                "DATABASE_URL",
                postgres.uri(),
                "REQUEST_TIMEOUT_SECONDS",
                Integer.toString(REQUEST_TIMEOUT_SECONDS),
                "LEADER_TTL_SECONDS",
                "3"));
    HomelabClient alice = lab.newUser("alice", "user");
    Device sensor = await(alice.devices().create(new NewDevice("cellar", "sensor")));

    Writer writer = new Writer(lab.vertx, alice, sensor.id());
    writer.start(4);
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> writer.acked.size() >= 20);

    postgres.stopImmediately();
    long down = System.nanoTime();
    // Down: readiness, a read and a write of another kind, each answered 503 without a hang.
    Awaitility.await()
        .atMost(Duration.ofSeconds(REQUEST_TIMEOUT_SECONDS + 2))
        .until(() -> get("/health/ready").statusCode() == 503);
    assertThat(get("/health/ready").bodyAsJsonObject().getString("error_code"))
        .isEqualTo("NOT_READY");
    assertRefusedInTime(alice.devices().create(new NewDevice("attic", "sensor")).mapEmpty());
    long failuresAtStart = writer.refused.get();
    // Down for at least 3 s, under the writer's retries.
    Awaitility.await()
        .pollDelay(Duration.ofSeconds(3))
        .atMost(Duration.ofSeconds(2L * REQUEST_TIMEOUT_SECONDS))
        .until(() -> writer.refused.get() >= failuresAtStart + 8);
    Duration downFor = Duration.ofNanos(System.nanoTime() - down);

    postgres.startAgain();
    long up = System.nanoTime();
    // Back: the same process serves reads and writes again, within a bound.
    Awaitility.await()
        .atMost(Duration.ofSeconds(15))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> get("/health/ready").statusCode() == 200);
    Awaitility.await()
        .atMost(Duration.ofSeconds(15))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> succeeds(alice.devices().create(new NewDevice("attic", "sensor"))));
    int ackedWhenBack = writer.acked.size();
    Awaitility.await()
        .atMost(Duration.ofSeconds(15))
        .until(() -> writer.acked.size() >= ackedWhenBack + 20);
    // The advisory lock went with the crashed connection: the server leads its jobs again.
    Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> leads(lab));
    Duration recovery = Duration.ofNanos(System.nanoTime() - up);
    writer.stop();

    assertThat(writer.statuses.keySet())
        .as("answers to writes (0 = acknowledged), down for %s, back in %s", downFor, recovery)
        .isSubsetOf(0, 503);
    assertThat(writer.refused.get()).isGreaterThanOrEqualTo(8);
    // Refused because the database is away, not because the request timed out (which would
    // answer SERVICE_UNAVAILABLE after the whole timeout).
    assertThat(writer.refusalCodes).containsOnly("STORAGE_UNAVAILABLE");
    assertThat(Duration.ofMillis(writer.slowestMillis.get()))
        .as("the slowest answer to a write")
        .isLessThan(Duration.ofSeconds(REQUEST_TIMEOUT_SECONDS - 1));

    // Acknowledged means stored: every message id acknowledged is in the table.
    Set<String> stored = new HashSet<>();
    try (Connection connection =
            DriverManager.getConnection(
                postgres.uri().replace("postgresql://postgres@", "jdbc:postgresql://")
                    + "?user=postgres");
        Statement statement = connection.createStatement();
        ResultSet rows =
            statement.executeQuery(
                "SELECT message_id FROM sensor_readings WHERE device_id = '" + sensor.id() + "'")) {
      while (rows.next()) {
        stored.add(rows.getString(1));
      }
    }
    assertThat(stored).containsAll(writer.acked.keySet());
  }

  static boolean leads(ServerTesting server) {
    return server.registry.get("homelab.leader").tag("role", "homelab.collectors").gauge().value()
        == 1.0;
  }

  private HttpResponse<Buffer> get(String path) {
    return await(lab.web.get(path).timeout(30_000).send());
  }

  private static boolean succeeds(Future<?> call) {
    try {
      await(call);
      return true;
    } catch (RuntimeException e) {
      return false;
    }
  }

  /** A write that fails with 503, within the request timeout. */
  private static void assertRefusedInTime(Future<Void> call) {
    long started = System.nanoTime();
    Throwable failure = await(call.transform(Future::succeededFuture)).cause();
    Duration took = Duration.ofNanos(System.nanoTime() - started);
    assertThat(failure).isInstanceOf(HomelabHttpException.class);
    assertThat(((HomelabHttpException) failure).status()).isEqualTo(503);
    assertThat(((HomelabHttpException) failure).errorCode()).isEqualTo("STORAGE_UNAVAILABLE");
    assertThat(took).isLessThan(Duration.ofSeconds(REQUEST_TIMEOUT_SECONDS - 1));
  }

  /**
   * Sends one reading at a time on each of several lanes, each with a message id of its own, until
   * stopped (at most 20,000 calls), and keeps what each answer was.
   */
  private static final class Writer {
    final Vertx vertx;
    final HomelabClient client;
    final String deviceId;
    final ConcurrentMap<String, Boolean> acked = new ConcurrentHashMap<>();
    final Map<Integer, Integer> statuses = new TreeMap<>();
    final AtomicLong refused = new AtomicLong();
    final Set<String> refusalCodes = ConcurrentHashMap.newKeySet();
    final AtomicLong slowestMillis = new AtomicLong();
    final AtomicInteger sent = new AtomicInteger();
    final AtomicBoolean stopping = new AtomicBoolean();
    final AtomicInteger lanes = new AtomicInteger();
    final Promise<Void> stopped = Promise.promise();

    Writer(Vertx vertx, HomelabClient client, String deviceId) {
      this.vertx = vertx;
      this.client = client;
      this.deviceId = deviceId;
    }

    void start(int laneCount) {
      lanes.set(laneCount);
      for (int i = 0; i < laneCount; i++) {
        next();
      }
    }

    private void next() {
      int n = sent.incrementAndGet();
      if (stopping.get() || n > 20_000) {
        if (lanes.decrementAndGet() == 0) {
          stopped.tryComplete();
        }
        return;
      }
      String id = "m-" + n;
      long started = System.nanoTime();
      client
          .sensors()
          .ingest(
              SensorReading.of(deviceId)
                  .withTimestamp(Instant.now())
                  .withMessageId(id)
                  .with("temperature", n % 30))
          .onComplete(
              answer -> {
                slowestMillis.accumulateAndGet(
                    (System.nanoTime() - started) / 1_000_000, Math::max);
                int status;
                if (answer.succeeded()) {
                  acked.put(id, true);
                  status = 0;
                } else if (answer.cause() instanceof HomelabHttpException http) {
                  status = http.status();
                  refusalCodes.add(String.valueOf(http.errorCode()));
                  refused.incrementAndGet();
                } else {
                  status = -1; // no answer at all
                }
                synchronized (statuses) {
                  statuses.merge(status, 1, Integer::sum);
                }
                if (!answer.succeeded()) {
                  // A client retries after a refusal; so does this one, a little later.
                  vertx.setTimer(100, t -> next());
                } else {
                  next();
                }
              });
    }

    void stop() {
      stopping.set(true);
      await(stopped.future().timeout(30, TimeUnit.SECONDS));
    }
  }
}
