package dev.homelab.core.store.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.homelab.core.store.redis.GuardedRedis.RedisUnavailableException;
import dev.homelab.core.testing.ConnectionCutter;
import dev.homelab.core.testing.RedisTesting;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The guard against reconnect storms (reliability matrix row F5, the client part), through a relay
 * to the machine's Redis that counts connection attempts and can be cut: while Redis is away,
 * commands fail at once and about one connection is tried per period, however many commands come;
 * an error reply of a Redis that is there does not count as an outage; when Redis is back the first
 * probe closes the guard.
 */
class GuardedRedisTest {

  static final Duration RETRY = Duration.ofMillis(300);

  Vertx vertx;
  ConnectionCutter relay;
  GuardedRedis redis;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    int port = URI.create(RedisTesting.URL).getPort();
    relay = ConnectionCutter.start(vertx, port);
    redis =
        new GuardedRedis(
            vertx,
            Redis.createClient(
                vertx, new RedisOptions().setConnectionString("redis://127.0.0.1:" + relay.port())),
            RETRY);
  }

  @AfterEach
  void stop() {
    try {
      redis.close().await();
      relay.close();
    } finally {
      vertx.close().await();
    }
  }

  private Future<Response> ping() {
    return redis.send(Request.cmd(Command.PING));
  }

  @Test
  void whileRedisIsAwayCommandsFailAtOnceAndConnectionsAreTriedByTimeNotByTraffic() {
    assertThat(ping().await().toString()).isEqualTo("PONG");

    relay.cut();
    long before = relay.accepted();
    long started = System.nanoTime();
    int refusedAtOnce = 0;
    for (int i = 0; i < 200; i++) {
      Future<Response> call = ping();
      Throwable failure = call.transform(Future::succeededFuture).await().cause();
      assertThat(failure).as("command %d while Redis is away", i).isNotNull();
      if (failure instanceof RedisUnavailableException) {
        refusedAtOnce++;
      }
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    long attempts = relay.accepted() - before;
    assertThat(redis.failingFast()).isTrue();
    assertThat(refusedAtOnce).isGreaterThanOrEqualTo(190);
    // A few attempts open the guard, then at most one probe per period.
    assertThat(attempts)
        .as("connection attempts for 200 commands in %.2f s", seconds)
        .isLessThanOrEqualTo(
            GuardedRedis.FAILURES + 1 + (long) (seconds / (RETRY.toMillis() / 1000.0)));

    relay.restore();
    Awaitility.await()
        .atMost(Duration.ofSeconds(5))
        .pollInterval(Duration.ofMillis(50))
        .until(() -> ping().transform(Future::succeededFuture).await().succeeded());
    assertThat(ping().await().toString()).isEqualTo("PONG");
    assertThat(redis.failingFast()).isFalse();
  }

  @Test
  void aBurstThatOverflowsThePoolIsNotAnOutage() {
    // The pool holds 6 connections and lets 24 commands wait: the rest are refused by the client
    // itself, which says nothing about Redis.
    List<Future<Response>> burst = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      burst.add(ping());
    }
    Future.join(burst).transform(Future::succeededFuture).await();
    assertThat(burst).anyMatch(Future::failed);
    assertThat(burst)
        .filteredOn(Future::failed)
        .extracting(Future::cause)
        .noneMatch(RedisUnavailableException.class::isInstance);
    assertThat(redis.failingFast()).isFalse();
    assertThat(ping().await().toString()).isEqualTo("PONG");
  }

  @Test
  void aRedisThatStopsAnsweringIsAwayAfterTheCommandTimeout() throws Exception {
    // A listener that takes connections and never answers: a hung Redis.
    try (ServerSocket hung = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      GuardedRedis silent = impatient(hung.getLocalPort());
      try {
        assertTheCommandTimeoutOpensTheGuard(silent);
      } finally {
        silent.close().await();
      }
    }
  }

  /** A guard whose commands time out after 300 ms, on a port of its own. */
  private GuardedRedis impatient(int port) {
    return new GuardedRedis(
        vertx,
        Redis.createClient(
            vertx, new RedisOptions().setConnectionString("redis://127.0.0.1:" + port)),
        RETRY,
        Duration.ofMillis(300));
  }

  /**
   * Commands to a Redis that does not answer time out, as failures, until the guard opens; then
   * they fail at once.
   */
  private static void assertTheCommandTimeoutOpensTheGuard(GuardedRedis guarded) {
    for (int i = 0; i < GuardedRedis.FAILURES; i++) {
      Throwable timedOut =
          guarded
              .send(Request.cmd(Command.PING))
              .transform(Future::succeededFuture)
              .await()
              .cause();
      assertThat(timedOut).isNotNull().isNotInstanceOf(RedisUnavailableException.class);
    }
    assertThat(guarded.failingFast()).isTrue();
    assertThat(
            guarded
                .send(Request.cmd(Command.PING))
                .transform(Future::succeededFuture)
                .await()
                .cause())
        .isInstanceOf(RedisUnavailableException.class);
  }

  /**
   * A partition (reliability matrix row F15): the pooled connection stays open and nothing comes
   * back. Commands time out, the guard opens and commands fail at once; after the heal a probe
   * answers and the guard closes, without a new client.
   */
  @Test
  void aBlackHoleOpensTheGuardAfterTheCommandTimeoutAndTheHealClosesIt() {
    GuardedRedis guarded = impatient(relay.port());
    try {
      assertThat(guarded.send(Request.cmd(Command.PING)).await().toString()).isEqualTo("PONG");
      relay.blackHole();
      assertTheCommandTimeoutOpensTheGuard(guarded);

      relay.heal();
      Awaitility.await()
          .atMost(Duration.ofSeconds(5))
          .pollInterval(RETRY)
          .until(
              () ->
                  guarded
                      .send(Request.cmd(Command.PING))
                      .transform(Future::succeededFuture)
                      .await()
                      .succeeded());
      assertThat(guarded.failingFast()).isFalse();
    } finally {
      guarded.close().await();
    }
  }

  @Test
  void anErrorReplyIsNotAnOutage() {
    Throwable failure =
        redis
            .send(Request.cmd(Command.create("NO-SUCH-COMMAND")))
            .transform(Future::succeededFuture)
            .await()
            .cause();
    assertThat(failure).isNotNull().isNotInstanceOf(RedisUnavailableException.class);
    assertThat(redis.failingFast()).isFalse();
    assertThat(ping().await().toString()).isEqualTo("PONG");
  }
}
