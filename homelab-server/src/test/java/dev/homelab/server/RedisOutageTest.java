package dev.homelab.server;

import static dev.homelab.core.testing.VertxTesting.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.homelab.core.store.redis.GuardedRedis;
import dev.homelab.core.testing.ConnectionCutter;
import dev.homelab.core.testing.LeadershipWatch;
import dev.homelab.core.testing.PostgresExtension;
import dev.homelab.core.testing.RedisTesting;
import dev.homelab.server.auth.RequestLimits;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Redis that goes away and comes back under a running server (reliability matrix row F5, the
 * login part; issue 21's defect): with {@code REDIS_URL} set and Redis down, a login answers 503
 * {@code LOGIN_UNAVAILABLE} with {@code Retry-After} in the standard body, never a 500 and never an
 * ERROR line, while requests with a session keep being served (their budgets fail open); when Redis
 * returns, logins work again in the same process.
 *
 * <p>The test runs a Redis of its own on a free port, so the machine's is never stopped.
 */
class RedisOutageTest {

  @RegisterExtension static final PostgresExtension PG = new PostgresExtension();

  @TempDir Path dir;
  @TempDir Path secondDir;
  @RegisterExtension final LogCapture logs = new LogCapture();

  private Process redis;
  private ServerTesting lab;

  @AfterEach
  void stop() throws Exception {
    try {
      if (lab != null) {
        lab.close();
      }
    } finally {
      if (redis != null) {
        redis.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    }
  }

  @Test
  void loginsFailClosedWhileRedisIsAwayAndRecoverWhenItIsBack() throws Exception {
    int port = freePort();
    redis = startRedis(port);
    lab =
        ServerTesting.start(
            dir,
            Map.of("REDIS_URL", "redis://127.0.0.1:" + port + "/0", "LEADER_TTL_SECONDS", "5"));
    String password = "pw-" + UUID.randomUUID();
    TestSecrets.remember(password);
    await(lab.client.users().create("eve", password, "user"));
    assertThat(login("eve", password).statusCode()).isEqualTo(200);

    // Redis killed: logins refused cleanly, within the request's time, by the right and the wrong
    // password alike (no oracle).
    redis.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    for (String attempt : List.of(password, "wrong-" + password)) {
      long started = System.nanoTime();
      HttpResponse<Buffer> refused = login("eve", attempt);
      assertThat(Duration.ofNanos(System.nanoTime() - started))
          .as("a refusal, not a hang")
          .isLessThan(Duration.ofSeconds(25));
      assertThat(refused.statusCode()).as(refused.bodyAsString()).isEqualTo(503);
      assertThat(refused.getHeader("Retry-After")).isEqualTo("5");
      JsonObject body = refused.bodyAsJsonObject();
      assertThat(body.getString("error_code")).isEqualTo("LOGIN_UNAVAILABLE");
      assertThat(body.getString("detail")).doesNotContain(Integer.toString(port));
      assertThat(body.getString("timestamp")).isNotBlank();
    }
    // A session keeps working: the request budget fails open.
    HttpResponse<Buffer> listed = await(lab.webAdmin.get("/api/devices").timeout(25_000).send());
    assertThat(listed.statusCode()).isEqualTo(200);

    // Redis back on the same port: logins work again, no restart of the server.
    redis = startRedis(port);
    Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(250))
        .until(() -> login("eve", password).statusCode() == 200);
    assertThat(login("eve", "wrong-" + password).statusCode()).isEqualTo(401);
  }

  /**
   * Two servers on one PostgreSQL database elect their leader through a Redis that goes away under
   * traffic (logins, API reads, the leadership's renewals) and comes back. The Redis is reached
   * through a relay that counts connection attempts: while Redis is away they stay bounded by the
   * time, not by the traffic (no reconnect storm); never two leaders, the leader steps down when it
   * cannot renew, and one leads again once Redis is back.
   */
  @Test
  void anOutageUnderTrafficCausesNoReconnectStormAndNeverTwoLeaders() throws Exception {
    int port = freePort();
    redis = startRedis(port);
    Vertx relayVertx = Vertx.vertx();
    try (ConnectionCutter relay = ConnectionCutter.start(relayVertx, port)) {
      Map<String, String> settings =
          Map.of(
              "DATABASE_URL",
              PG.uri(),
              "REDIS_URL",
              "redis://127.0.0.1:" + relay.port() + "/0",
              "REDIS_KEY_PREFIX",
              "homelab-f5-" + UUID.randomUUID() + ":",
              "LEADER_TTL_SECONDS",
              "3",
              "METRICS_INTERVAL_HOST",
              "1");
      lab = ServerTesting.start(dir, settings);
      try (ServerTesting second = ServerTesting.start(secondDir, settings);
          LeadershipWatch watch =
              LeadershipWatch.polling(
                  () -> PostgresOutageIT.leads(lab), () -> PostgresOutageIT.leads(second))) {
        String password = "pw-" + UUID.randomUUID();
        TestSecrets.remember(password);
        await(lab.client.users().create("frank", password, "user"));
        assertThat(login("frank", password).statusCode()).isEqualTo(200);
        Awaitility.await()
            .atMost(Duration.ofSeconds(10))
            .until(() -> PostgresOutageIT.leads(lab) ^ PostgresOutageIT.leads(second));

        redis.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        long attemptsBefore = relay.accepted();
        long outageStarted = System.nanoTime();
        Map<Integer, Integer> loginStatuses = new TreeMap<>();
        Map<Integer, Integer> readStatuses = new TreeMap<>();
        // 25 requests a second for 6 s, paced by a timer, each one of which would need Redis.
        List<Future<?>> answers = new CopyOnWriteArrayList<>();
        Promise<Void> paced = Promise.promise();
        AtomicInteger ticks = new AtomicInteger();
        relayVertx.setPeriodic(
            80,
            id -> {
              int i = ticks.getAndIncrement();
              if (i >= 75) {
                relayVertx.cancelTimer(id);
                paced.tryComplete();
                return;
              }
              ServerTesting target = i % 2 == 0 ? lab : second;
              answers.add(
                  sendLogin(target, "frank", password)
                      .onSuccess(answer -> count(loginStatuses, answer.statusCode())));
              answers.add(
                  target
                      .webAdmin
                      .get("/api/devices")
                      .timeout(25_000)
                      .send()
                      .onSuccess(answer -> count(readStatuses, answer.statusCode())));
            });
        await(paced.future());
        await(Future.all(List.copyOf(answers)));
        double outageSeconds = (System.nanoTime() - outageStarted) / 1e9;
        long attempts = relay.accepted() - attemptsBefore;
        assertThat(loginStatuses.keySet()).containsOnly(503);
        assertThat(readStatuses.keySet()).containsOnly(200);
        // Neither can renew: whoever led stepped down when its lease ran out.
        Awaitility.await()
            .atMost(Duration.ofSeconds(10))
            .until(() -> !PostgresOutageIT.leads(lab) && !PostgresOutageIT.leads(second));
        assertThat(attempts)
            .as(
                "connection attempts to Redis in %.1f s of outage under %d requests",
                outageSeconds, loginStatuses.values().stream().mapToInt(i -> i).sum() * 2)
            .isLessThanOrEqualTo(2 * (GuardedRedis.FAILURES + 1 + (long) outageSeconds));

        redis = startRedis(port);
        Awaitility.await()
            .atMost(Duration.ofSeconds(15))
            .pollInterval(Duration.ofMillis(250))
            .until(() -> login("frank", password).statusCode() == 200);
        Awaitility.await()
            .atMost(Duration.ofSeconds(15))
            .until(() -> PostgresOutageIT.leads(lab) ^ PostgresOutageIT.leads(second));
        // One line each way per server for the whole outage, not one per request.
        assertThat(logs.linesOf(GuardedRedis.class.getName()))
            .filteredOn(line -> line.startsWith("Redis is unreachable"))
            .hasSize(2);
        // The follower's guard closes at its next probe (a leader try every second).
        Awaitility.await()
            .atMost(Duration.ofSeconds(5))
            .until(
                () ->
                    logs.linesOf(GuardedRedis.class.getName()).stream()
                            .filter(line -> line.startsWith("Redis answers again"))
                            .count()
                        == 2);
        assertThat(logs.linesOf(RequestLimits.class.getName()))
            .filteredOn(line -> line.startsWith("Rate limit store unavailable"))
            .hasSize(2);
      }
    } finally {
      await(relayVertx.close());
    }
  }

  /**
   * A partition between the server and Redis (reliability matrix row F15): the connection stays
   * open and nothing comes back. Within the request timeout, logins are refused 503 {@code
   * LOGIN_UNAVAILABLE} with {@code Retry-After} and requests with a session are served (their
   * budgets fail open), not both cut short by the request timeout; after the heal logins work again
   * in the same process.
   */
  @Test
  void aBlackHoledRedisRefusesLoginsAndServesSessionsWithinTheRequestTimeout() {
    Vertx relayVertx = Vertx.vertx();
    try (ConnectionCutter relay =
        ConnectionCutter.start(relayVertx, java.net.URI.create(RedisTesting.URL).getPort())) {
      lab =
          ServerTesting.start(
              dir,
              Map.of(
                  "REDIS_URL",
                  "redis://127.0.0.1:" + relay.port() + "/0",
                  "REDIS_KEY_PREFIX",
                  "homelab-f15-" + UUID.randomUUID() + ":",
                  "REQUEST_TIMEOUT_SECONDS",
                  "2"));
      String password = "pw-" + UUID.randomUUID();
      TestSecrets.remember(password);
      await(lab.client.users().create("gina", password, "user"));
      assertThat(login("gina", password).statusCode()).isEqualTo(200);

      relay.blackHole();
      // Enough at once to open the guard: each waits for its command's timeout.
      long started = System.nanoTime();
      List<Future<HttpResponse<Buffer>>> logins = new ArrayList<>();
      List<Future<HttpResponse<Buffer>>> reads = new ArrayList<>();
      for (int i = 0; i < GuardedRedis.FAILURES; i++) {
        logins.add(sendLogin(lab, "gina", password));
        reads.add(lab.webAdmin.get("/api/devices").timeout(25_000).send());
      }
      for (Future<HttpResponse<Buffer>> answer : logins) {
        HttpResponse<Buffer> refused = await(answer);
        assertThat(refused.statusCode()).as(refused.bodyAsString()).isEqualTo(503);
        assertThat(refused.bodyAsJsonObject().getString("error_code"))
            .as("refused by the login guard, not by the request timeout")
            .isEqualTo("LOGIN_UNAVAILABLE");
        assertThat(refused.getHeader("Retry-After")).isEqualTo("5");
      }
      for (Future<HttpResponse<Buffer>> answer : reads) {
        HttpResponse<Buffer> read = await(answer);
        assertThat(read.statusCode()).as(read.bodyAsString()).isEqualTo(200);
      }
      assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(4));
      // The guard is open now: a login is refused at once.
      long again = System.nanoTime();
      assertThat(login("gina", password).statusCode()).isEqualTo(503);
      assertThat(Duration.ofNanos(System.nanoTime() - again)).isLessThan(Duration.ofSeconds(1));

      relay.heal();
      Awaitility.await()
          .atMost(Duration.ofSeconds(10))
          .pollInterval(Duration.ofMillis(250))
          .until(() -> login("gina", password).statusCode() == 200);
    } finally {
      await(relayVertx.close());
    }
  }

  private HttpResponse<Buffer> login(String username, String password) {
    return login(lab, username, password);
  }

  private static HttpResponse<Buffer> login(ServerTesting lab, String username, String password) {
    return await(sendLogin(lab, username, password));
  }

  private static Future<HttpResponse<Buffer>> sendLogin(
      ServerTesting lab, String username, String password) {
    return lab.web
        .post("/api/auth/login")
        .timeout(25_000)
        .sendJsonObject(new JsonObject().put("username", username).put("password", password));
  }

  private static void count(Map<Integer, Integer> statuses, int status) {
    synchronized (statuses) {
      statuses.merge(status, 1, Integer::sum);
    }
  }

  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  /**
   * A throwaway Redis on loopback, no persistence; returns once it says it accepts connections (its
   * log, read to its end on a thread of its own so that the pipe never fills).
   */
  static Process startRedis(int port) throws Exception {
    Process process =
        new ProcessBuilder(
                "redis-server",
                "--port",
                Integer.toString(port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no")
            .redirectErrorStream(true)
            .start();
    CountDownLatch ready = new CountDownLatch(1);
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader lines =
                  new BufferedReader(
                      new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = lines.readLine()) != null; ) {
                  if (line.contains("Ready to accept connections")) {
                    ready.countDown();
                  }
                }
              } catch (IOException closed) {
                // the process ended
              }
            },
            "redis-" + port + "-log");
    reader.setDaemon(true);
    reader.start();
    if (!ready.await(15, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IllegalStateException("redis-server did not start on port " + port);
    }
    return process;
  }
}
