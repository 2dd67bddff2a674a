package dev.homelab.core.store.redis;

import static dev.homelab.core.testing.VertxTesting.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.homelab.core.leader.Leadership;
import dev.homelab.core.leader.LeadershipOptions;
import dev.homelab.core.testing.ConnectionCutter;
import dev.homelab.core.testing.LeadershipWatch;
import dev.homelab.core.testing.RedisTesting;
import dev.homelab.core.testing.VertxTesting;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Response;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Redis lock of the leadership against the real Redis on loopback: each instance with a client
 * of its own, each test with a random key prefix, a ttl of 1.5 s (a try or a renewal every 0.5 s).
 */
class RedisLeaderLockIT {

  static final LeadershipOptions FAST = new LeadershipOptions().setTtl(Duration.ofMillis(1500));
  static final Duration INTERVAL = FAST.getInterval();

  /** A free lock is taken at the next try, within an interval; a round trip to spare. */
  static final Duration HANDOVER = INTERVAL.multipliedBy(2).plusMillis(500);

  static Vertx vertx;
  static Redis admin;
  static RedisAPI redis;
  final List<Leadership> opened = new ArrayList<>();
  final List<Redis> clients = new ArrayList<>();
  String prefix;

  @BeforeAll
  static void connect() {
    vertx = VertxTesting.vertx();
    admin = Redis.createClient(vertx, new RedisOptions().setConnectionString(RedisTesting.URL));
    redis = RedisAPI.api(admin);
    await(redis.ping(List.of()));
  }

  @AfterAll
  static void disconnect() {
    await(admin.close());
    await(vertx.close());
  }

  @BeforeEach
  void randomPrefix() {
    prefix = "homelab-it-" + UUID.randomUUID() + ":";
  }

  @AfterEach
  void closeAll() {
    opened.forEach(l -> await(l.close()));
    clients.forEach(c -> await(c.close()));
    await(redis.del(List.of(prefix + "leader:test.redis")));
  }

  /** An instance: a client of its own, and the leadership over it. */
  private Leadership instance() {
    Redis client =
        Redis.createClient(vertx, new RedisOptions().setConnectionString(RedisTesting.URL));
    clients.add(client);
    return instance(client);
  }

  private Leadership instance(Redis client) {
    Leadership leadership =
        Leadership.create(vertx, new RedisLeaderLock(client, prefix, "test.redis"), FAST);
    opened.add(leadership);
    return leadership;
  }

  private String key() {
    return prefix + "leader:test.redis";
  }

  @Test
  void exactlyOneOfTwoLeadsAndRenewsItsKey() {
    Leadership one = instance();
    Leadership two = instance();
    try (LeadershipWatch watch = new LeadershipWatch(one, two)) {
      await(one.start());
      await(two.start());
      assertThat(watch.awaitLeader(HANDOVER)).isSameAs(one);
      watch.assertStaysLeader(one, FAST.getTtl().multipliedBy(2)); // outlives its first lease
      Response holder = await(redis.get(key()));
      assertThat(holder).isNotNull();
      assertThat(holder.toString()).hasSize(36); // the instance's random id
      assertThat(await(redis.pttl(key())).toLong()).isBetween(1L, FAST.getTtl().toMillis());
    }
  }

  @Test
  void closingTheLeaderDeletesItsKeyAndHandsOver() {
    Leadership one = instance();
    Leadership two = instance();
    try (LeadershipWatch watch = new LeadershipWatch(one, two)) {
      await(one.start());
      await(two.start());
      String first = await(redis.get(key())).toString();
      await(one.close());
      long closed = System.nanoTime();
      assertThat(watch.awaitLeader(HANDOVER)).isSameAs(two);
      assertThat(Duration.ofNanos(System.nanoTime() - closed)).isLessThan(HANDOVER);
      assertThat(await(redis.get(key())).toString()).isNotEqualTo(first);
      await(two.close());
      assertThat(await(redis.get(key()))).as("released on close").isNull();
    }
  }

  @Test
  void aLeaderCutOffFromRedisStepsDownBeforeItsKeyExpires() {
    Redis cutOff =
        Redis.createClient(vertx, new RedisOptions().setConnectionString(RedisTesting.URL));
    Leadership one = instance(cutOff);
    Leadership two = instance();
    try (LeadershipWatch watch = new LeadershipWatch(one, two)) {
      await(one.start());
      await(two.start());
      assertThat(watch.awaitLeader(HANDOVER)).isSameAs(one);
      await(
          cutOff
              .close()); // its renewals, and its release, now fail: the key stays until it expires
      long cut = System.nanoTime();
      while (one.isLeader()) {
        Thread.onSpinWait();
      }
      assertThat(Duration.ofNanos(System.nanoTime() - cut))
          .as("stepped down at the first failed renewal")
          .isLessThan(HANDOVER);
      // The follower takes over once the key has expired, which the watch checks is never before
      // the old leader stepped down.
      assertThat(watch.awaitLeader(FAST.getTtl().plus(HANDOVER))).isSameAs(two);
    }
  }

  /**
   * A partition between the leader and Redis (reliability matrix row F15): its connection stays
   * open and nothing comes back, so its renewals neither succeed nor fail. It steps down within its
   * lease, the other takes over once the key expires, and when the network heals what the old
   * leader sent into the hole arrives late and changes nothing: never two leaders.
   */
  @Test
  void aLeaderBlackHoledFromRedisStepsDownInTimeAndItsLateCommandsChangeNothing() {
    try (ConnectionCutter relay =
        ConnectionCutter.start(vertx, URI.create(RedisTesting.URL).getPort())) {
      // As the server has it: guarded, with the default command timeout.
      Redis partitioned =
          new GuardedRedis(
              vertx,
              Redis.createClient(
                  vertx,
                  new RedisOptions().setConnectionString("redis://127.0.0.1:" + relay.port())),
              Duration.ofMillis(300));
      clients.add(partitioned);
      Leadership one = instance(partitioned);
      Leadership two = instance();
      try (LeadershipWatch watch = new LeadershipWatch(one, two)) {
        await(one.start());
        await(two.start());
        assertThat(watch.awaitLeader(HANDOVER)).isSameAs(one);

        relay.blackHole();
        long holed = System.nanoTime();
        Awaitility.await()
            .atMost(HANDOVER)
            .pollInterval(Duration.ofMillis(10))
            .until(() -> !one.isLeader());
        assertThat(Duration.ofNanos(System.nanoTime() - holed))
            .as("stepped down within its lease")
            .isLessThan(FAST.getTtl());
        assertThat(watch.awaitLeader(FAST.getTtl().plus(HANDOVER))).isSameAs(two);

        relay.heal();
        watch.assertStaysLeader(two, FAST.getTtl());
      }
    }
  }

  @Test
  void aLeaderWhoseKeyIsDeletedStepsDownAtItsNextRenewal() {
    Leadership one = instance();
    Leadership two = instance();
    // Deleting the key by hand frees the lock before the leader can know: a follower may take it
    // up to one renewal earlier than the old leader steps down (plus the poll's slack).
    try (LeadershipWatch watch = new LeadershipWatch(INTERVAL.plusMillis(200), one, two)) {
      await(one.start());
      await(two.start());
      assertThat(watch.awaitLeader(HANDOVER)).isSameAs(one);
      await(redis.del(List.of(key())));
      long deleted = System.nanoTime();
      while (one.isLeader()) {
        Thread.onSpinWait();
      }
      assertThat(Duration.ofNanos(System.nanoTime() - deleted)).isLessThan(HANDOVER);
      assertThat(watch.awaitLeader(HANDOVER)).isSameAs(two);
      assertThat(watch.transitions()).contains("#0 follows", "#1 leads");
    }
  }
}
