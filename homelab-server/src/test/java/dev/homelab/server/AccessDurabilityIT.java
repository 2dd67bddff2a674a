package dev.homelab.server;

import static dev.homelab.core.testing.VertxTesting.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.homelab.core.Page;
import dev.homelab.core.access.AccessLogEntry;
import dev.homelab.core.access.AccessLogQuery;
import dev.homelab.core.store.Storage;
import dev.homelab.core.store.StorageOptions;
import dev.homelab.core.testing.PostgresExtension;
import dev.homelab.core.testing.VertxTesting;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.HashSet;
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
 * Acknowledged access decisions survive {@code kill -9}: 10,000 checks through the API, then more
 * checks in flight when the server process is killed; every check that got a response must have its
 * access log row, on SQLite and on PostgreSQL.
 */
@Timeout(180)
class AccessDurabilityIT {

  @RegisterExtension static final PostgresExtension PG = new PostgresExtension();

  private static final int CHECKS = 10_000;
  private static final int IN_FLIGHT = 32;

  private final ServerJar jars = new ServerJar();
  @TempDir Path dir;

  @AfterEach
  void killLeftovers() {
    jars.close();
  }

  @Test
  void onSqlite() throws Exception {
    everyAnsweredCheckSurvivesKill9(
        Map.of(), new StorageOptions().setSqlitePath(dir.resolve("data/homelab.db").toString()));
  }

  @Test
  void onPostgres() throws Exception {
    String url = PG.uriOf(PG.newDatabase());
    everyAnsweredCheckSurvivesKill9(Map.of("DATABASE_URL", url), StorageOptions.fromUri(url));
  }

  private void everyAnsweredCheckSurvivesKill9(Map<String, String> env, StorageOptions store)
      throws Exception {
    ServerJar.Started started = jars.start(dir, env);
    Process server = started.process();
    int port = started.port();
    String jwt = started.jwt();
    HttpResponse<String> created =
        jars.http.send(
            ServerJar.post(
                port,
                "/api/policies/cards",
                jwt,
                new JsonObject().put("uid", "BA839D07").put("holder", "Ann")),
            HttpResponse.BodyHandlers.ofString());
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);

    Set<String> answered = ConcurrentHashMap.newKeySet();
    // Phase 1: 10,000 checks, every one answered.
    AtomicInteger failures = new AtomicInteger();
    send(port, jwt, CHECKS, answered, failures, () -> false);
    assertThat(failures.get()).isZero();
    assertThat(answered).hasSize(CHECKS);

    // Phase 2: keep checks in flight and kill the server under them.
    int before = answered.size();
    CompletableFuture<Void> killer =
        ServerJar.killWhen(server, () -> answered.size() >= before + 2_000);
    send(port, jwt, 100_000, answered, new AtomicInteger(), () -> !server.isAlive());
    ServerJar.assertKilled(server, killer);
    assertThat(answered.size()).isGreaterThan(before);

    Set<String> logged = loggedDecisionIds(store);
    Set<String> missing = new HashSet<>(answered);
    missing.removeAll(logged);
    assertThat(missing).as("answered checks without a log row").isEmpty();
  }

  /** Sends checks with a bounded number in flight, recording every answered decision id. */
  private void send(
      int port,
      String jwt,
      int count,
      Set<String> answered,
      AtomicInteger failures,
      java.util.function.BooleanSupplier stop)
      throws InterruptedException {
    Semaphore slots = new Semaphore(IN_FLIGHT);
    for (int i = 0; i < count && !stop.getAsBoolean(); i++) {
      slots.acquire();
      JsonObject body =
          new JsonObject()
              .put("device_id", "door-" + (i % 8))
              .put("card_uid", i % 4 == 0 ? "01020304" : "BA839D07");
      jars.http
          .sendAsync(
              ServerJar.post(port, "/api/access/check", jwt, body),
              HttpResponse.BodyHandlers.ofString())
          .whenComplete(
              (response, failure) -> {
                if (failure == null && response.statusCode() == 200) {
                  answered.add(new JsonObject(response.body()).getString("decision_id"));
                } else {
                  failures.incrementAndGet();
                }
                slots.release();
              });
    }
    slots.acquire(IN_FLIGHT); // wait for the last answers (or failures)
  }

  private static Set<String> loggedDecisionIds(StorageOptions options) {
    Vertx vertx = VertxTesting.vertx();
    try {
      Storage storage = await(Storage.open(vertx, options));
      try {
        Set<String> ids = new HashSet<>();
        String cursor = null;
        do {
          Page<AccessLogEntry> page =
              await(
                  storage
                      .accessLog()
                      .list(
                          new AccessLogQuery(
                              null, null, null, null, null, AccessLogQuery.MAX_LIMIT, cursor)));
          page.items().forEach(e -> ids.add(e.id()));
          cursor = page.nextCursor();
        } while (cursor != null);
        return ids;
      } finally {
        await(storage.close());
      }
    } finally {
      await(vertx.close());
    }
  }
}
