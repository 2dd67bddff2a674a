package dev.homelab.core.leader;

import static dev.homelab.core.testing.VertxTesting.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.homelab.core.store.Storage;
import dev.homelab.core.store.StorageOptions;
import dev.homelab.core.store.postgres.PostgresTestAccess;
import dev.homelab.core.testing.LeadershipWatch;
import dev.homelab.core.testing.PostgresExtension;
import dev.homelab.core.testing.VertxTesting;
import io.vertx.core.Vertx;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The PostgreSQL advisory-lock leadership against the real server, on a database of this class's
 * own, with a ttl of 1.5 s (a try or a check every 0.5 s).
 */
class PostgresLeadershipIT {

  @RegisterExtension static final PostgresExtension PG = new PostgresExtension();

  static final LeadershipOptions FAST = new LeadershipOptions().setTtl(Duration.ofMillis(1500));

  /** A try every interval: a free lock is taken within one, plus a round trip to spare. */
  static final Duration HANDOVER = FAST.getInterval().multipliedBy(2).plusMillis(500);

  static Vertx vertx;
  static Storage storage;
  final List<Leadership> opened = new ArrayList<>();

  @BeforeAll
  static void open() {
    vertx = VertxTesting.vertx();
    storage = await(Storage.open(vertx, StorageOptions.fromUri(PG.uri())));
  }

  @AfterAll
  static void close() {
    await(storage.close());
    await(vertx.close());
  }

  @AfterEach
  void closeLeaderships() {
    opened.forEach(l -> await(l.close()));
  }

  private Leadership leadership(String name) {
    Leadership leadership = storage.leadership(name, FAST);
    opened.add(leadership);
    return leadership;
  }

  @Test
  void exactlyOneOfTwoLeadsAndKeepsLeading() throws SQLException {
    Leadership one = leadership("test.pg.steady");
    Leadership two = leadership("test.pg.steady");
    try (LeadershipWatch watch = new LeadershipWatch(one, two)) {
      await(one.start());
      await(two.start());
      Leadership leader = watch.awaitLeader(HANDOVER);
      assertThat(leader).as("the first to try takes the free lock").isSameAs(one);
      // Several checks and tries later, still the same leader: followers never steal the lock.
      watch.assertStaysLeader(one, FAST.getTtl().multipliedBy(2));
      assertThat(holders("test.pg.steady")).hasSize(1);
    }
    // Another role has a lock of its own.
    Leadership other = leadership("test.pg.other");
    await(other.start());
    assertThat(other.isLeader()).isTrue();
    assertThat(holders("test.pg.other")).hasSize(1);
  }

  @Test
  void closingTheLeaderHandsOverAtOnce() {
    Leadership one = leadership("test.pg.close");
    Leadership two = leadership("test.pg.close");
    try (LeadershipWatch watch = new LeadershipWatch(one, two)) {
      await(one.start());
      await(two.start());
      Leadership leader = watch.awaitLeader(HANDOVER);
      Leadership follower = leader == one ? two : one;
      await(leader.close());
      assertThat(leader.isLeader()).isFalse();
      long closed = System.nanoTime();
      assertThat(watch.awaitLeader(HANDOVER)).isSameAs(follower);
      assertThat(Duration.ofNanos(System.nanoTime() - closed)).isLessThan(HANDOVER);
    }
  }

  @Test
  void whenTheLeadersSessionIsKilledItStepsDownAndTheOtherTakesOver() throws SQLException {
    Leadership one = leadership("test.pg.kill");
    Leadership two = leadership("test.pg.kill");
    try (LeadershipWatch watch = new LeadershipWatch(one, two)) {
      await(one.start());
      await(two.start());
      Leadership leader = watch.awaitLeader(HANDOVER);
      Leadership follower = leader == one ? two : one;

      List<Integer> holders = holders("test.pg.kill");
      assertThat(holders).hasSize(1);
      terminate(holders.get(0));
      long killed = System.nanoTime();
      assertThat(watch.awaitLeader(HANDOVER, leader)).isSameAs(follower);
      assertThat(Duration.ofNanos(System.nanoTime() - killed)).isLessThan(HANDOVER);
      assertThat(leader.isLeader()).isFalse();

      // The killed one reconnects and keeps trying (after sitting out a ttl): it takes over when
      // the new leader leaves.
      await(follower.close());
      assertThat(watch.awaitLeader(FAST.getTtl().plus(HANDOVER))).isSameAs(leader);
      assertThat(watch.transitions())
          .containsExactly(
              label(one, leader) + " leads",
              label(one, leader) + " follows",
              label(one, follower) + " leads",
              label(one, follower) + " follows",
              label(one, leader) + " leads");
    }
  }

  private static String label(Leadership first, Leadership which) {
    return which == first ? "#0" : "#1";
  }

  /** The sessions that hold a role's advisory lock, as pg_locks shows them. */
  private static List<Integer> holders(String role) throws SQLException {
    long key = PostgresTestAccess.leaderKey(role);
    try (Connection connection = PG.connect(database());
        PreparedStatement statement =
            connection.prepareStatement(
                "SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted"
                    + " AND classid::bigint = ? AND objid::bigint = ? AND objsubid = 1"
                    + " AND database = (SELECT oid FROM pg_database"
                    + " WHERE datname = current_database())")) {
      statement.setLong(1, key >>> 32);
      statement.setLong(2, key & 0xFFFF_FFFFL);
      List<Integer> pids = new ArrayList<>();
      try (ResultSet rows = statement.executeQuery()) {
        while (rows.next()) {
          pids.add(rows.getInt(1));
        }
      }
      return pids;
    }
  }

  /** Kills a session, as an admin would. */
  private static void terminate(int pid) throws SQLException {
    try (Connection connection = PG.connect(database());
        PreparedStatement statement =
            connection.prepareStatement("SELECT pg_terminate_backend(?)")) {
      statement.setInt(1, pid);
      try (ResultSet rows = statement.executeQuery()) {
        assertThat(rows.next() && rows.getBoolean(1)).as("terminated %d", pid).isTrue();
      }
    }
  }

  private static String database() {
    return PG.uri().substring(PG.uri().lastIndexOf('/') + 1);
  }

  @Test
  void theLocksSessionIsNamedForOperators() throws SQLException {
    Leadership one = leadership("test.pg.named");
    await(one.start());
    List<Integer> holders = holders("test.pg.named");
    assertThat(holders).hasSize(1);
    try (Connection connection = PG.connect(database());
        PreparedStatement statement =
            connection.prepareStatement(
                "SELECT application_name FROM pg_stat_activity WHERE pid = ?")) {
      statement.setInt(1, holders.get(0));
      try (ResultSet rows = statement.executeQuery()) {
        assertThat(rows.next()).isTrue();
        assertThat(rows.getString(1)).isEqualTo("homelab-leader");
      }
    }
  }

  @Test
  void aSessionThatDoesNotHoldTheLockDoesNotRenewIt() {
    LeaderLock holder =
        dev.homelab.core.store.postgres.PostgresTestAccess.leaderLock(
            vertx, PG.uri(), "test.pg.renew", FAST.getTtl());
    LeaderLock other =
        dev.homelab.core.store.postgres.PostgresTestAccess.leaderLock(
            vertx, PG.uri(), "test.pg.renew", FAST.getTtl());
    try {
      assertThat(await(holder.acquire(FAST.getTtl()))).isTrue();
      assertThat(await(holder.renew(FAST.getTtl()))).isTrue();
      // The other's session answers, but it does not hold the lock: renewing must say so.
      assertThat(await(other.acquire(FAST.getTtl()))).isFalse();
      assertThat(await(other.renew(FAST.getTtl()))).isFalse();
      await(holder.release());
      assertThat(await(other.acquire(FAST.getTtl()))).isTrue();
      assertThat(await(other.renew(FAST.getTtl()))).isTrue();
    } finally {
      await(holder.release());
      await(other.release());
    }
  }
}
