package dev.homelab.server;

import static dev.homelab.core.testing.VertxTesting.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.homelab.client.HomelabClient;
import dev.homelab.client.devices.NewDevice;
import dev.homelab.core.testing.ConnectionCutter;
import dev.homelab.core.testing.PostgresExtension;
import dev.homelab.core.testing.VertxTesting;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A network partition between the server and PostgreSQL (reliability matrix row F15): the server
 * reaches its database through a relay that black-holes every connection, open and new (nothing
 * closes, nothing passes), and then heals. During the hole every request ends within {@code
 * REQUEST_TIMEOUT_SECONDS} with a 503 in the standard body, none hangs and none is a 500, readiness
 * says not ready and the leader steps down; after the heal the same process serves reads and writes
 * and leads again within a bounded time.
 */
@Timeout(120)
class PartitionPostgresIT {

  static final int REQUEST_TIMEOUT_SECONDS = 3;

  @RegisterExtension static final PostgresExtension PG = new PostgresExtension();
  @TempDir Path dir;
  @RegisterExtension final LogCapture logs = new LogCapture();

  private final Vertx relayVertx = VertxTesting.vertx();
  private ConnectionCutter relay;
  private ServerTesting lab;

  @AfterEach
  void stop() {
    try {
      if (lab != null) {
        lab.close();
      }
      if (relay != null) {
        relay.close();
      }
    } finally {
      await(relayVertx.close());
    }
  }

  @Test
  void requestsEndIn503WithinTheirTimeoutDuringTheHoleAndAreServedAgainAfterItHeals() {
    URI direct = URI.create(PG.uriOf(PG.newDatabase()));
    relay = ConnectionCutter.start(relayVertx, direct.getPort());
    String throughRelay =
        direct.toString().replace(":" + direct.getPort() + "/", ":" + relay.port() + "/");
    lab =
        ServerTesting.start(
            dir,
            Map.of(
                "DATABASE_URL",
                throughRelay,
                "REQUEST_TIMEOUT_SECONDS",
                Integer.toString(REQUEST_TIMEOUT_SECONDS),
                "LEADER_TTL_SECONDS",
                "2"));
    HomelabClient alice = lab.newUser("partition-alice", "user");
    await(alice.devices().create(new NewDevice("before", "sensor")));
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> PostgresOutageIT.leads(lab));

    relay.blackHole();
    // A read, a write and readiness, at once: each ends in time with a 503 in the standard body.
    List<Future<HttpResponse<Buffer>>> calls =
        List.of(
            lab.webAdmin.get("/api/devices").timeout(30_000).send(),
            lab.webAdmin
                .post("/api/devices")
                .timeout(30_000)
                .sendJsonObject(new NewDevice("during", "sensor").toJson()),
            lab.web.get("/health/ready").timeout(30_000).send());
    long started = System.nanoTime();
    for (Future<HttpResponse<Buffer>> call : calls) {
      HttpResponse<Buffer> answer = await(call);
      assertThat(Duration.ofNanos(System.nanoTime() - started))
          .as("answered, not hung")
          .isLessThan(Duration.ofSeconds(REQUEST_TIMEOUT_SECONDS + 2));
      assertThat(answer.statusCode()).as(answer.bodyAsString()).isEqualTo(503);
      JsonObject body = answer.bodyAsJsonObject();
      assertThat(body.getString("error_code"))
          .isIn("STORAGE_UNAVAILABLE", "SERVICE_UNAVAILABLE", "NOT_READY");
      assertThat(body.getString("detail")).doesNotContain(Integer.toString(relay.port()));
      assertThat(body.getString("timestamp")).isNotBlank();
    }
    // It cannot renew its lock: it steps down, it does not lead on in the dark.
    Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> !PostgresOutageIT.leads(lab));

    relay.heal();
    long healed = System.nanoTime();
    Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> get("/health/ready").statusCode() == 200);
    await(alice.devices().create(new NewDevice("after", "sensor")));
    assertThat(await(alice.devices().list()).items().stream().map(d -> d.name()))
        .contains("before", "after");
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> PostgresOutageIT.leads(lab));
    assertThat(Duration.ofNanos(System.nanoTime() - healed)).isLessThan(Duration.ofSeconds(10));

    // A shutdown in the middle of a partition ends too: nothing waits on the database for good.
    relay.blackHole();
    AtomicBoolean inFlightEnded = new AtomicBoolean();
    lab.webAdmin
        .get("/api/devices")
        .timeout(30_000)
        .send()
        .onComplete(answer -> inFlightEnded.set(true));
    // Deep in the hole: the leader gave up its lock and tries to take it again.
    Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> !PostgresOutageIT.leads(lab));
    long closing = System.nanoTime();
    ServerTesting closed = lab;
    lab = null;
    closed.close();
    // Not a timing: it ends. Each close that waits on the database is given up after its bound
    // (CloseStack: 5 s, 12 s for those that commit what was acknowledged).
    assertThat(Duration.ofNanos(System.nanoTime() - closing))
        .as("shutdown during the hole")
        .isLessThan(Duration.ofSeconds(30));
    // The request in flight got an answer or lost its connection; it did not hang either.
    Awaitility.await().atMost(Duration.ofSeconds(10)).untilTrue(inFlightEnded);
  }

  private HttpResponse<Buffer> get(String path) {
    return await(lab.web.get(path).timeout(30_000).send());
  }
}
