package dev.homelab.core.leader;

import static dev.homelab.core.testing.VertxTesting.await;
import static dev.homelab.core.testing.VertxTesting.awaitFailure;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.homelab.core.HomelabException;
import dev.homelab.core.store.Storage;
import dev.homelab.core.store.StorageOptions;
import dev.homelab.core.testing.LeadershipWatch;
import dev.homelab.core.testing.VertxTesting;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The leadership's machinery without a database: the single-instance leadership, the options, and
 * the campaign over a lock kept in memory whose backend can be made to fail or hang. The real locks
 * are tested against the real services ({@code PostgresLeadershipIT}, and the server's Redis one).
 */
class LeadershipTest {

  static final LeadershipOptions FAST = new LeadershipOptions().setTtl(Duration.ofMillis(600));
  static final Duration WITHIN = Duration.ofSeconds(5);

  static Vertx vertx;

  @BeforeAll
  static void startVertx() {
    vertx = VertxTesting.vertx();
  }

  @AfterAll
  static void stopVertx() {
    await(vertx.close());
  }

  @Test
  void aLoneInstanceLeadsFromStartToClose() {
    Leadership alone = Leadership.always(vertx, "test.alone");
    List<String> seen = new CopyOnWriteArrayList<>();
    alone.handler(leading -> seen.add(leading + " on " + Thread.currentThread().getName()));
    assertThat(alone.isLeader()).isFalse();
    await(alone.start());
    await(alone.start()); // idempotent
    assertThat(alone.isLeader()).isTrue();
    await(alone.close());
    assertThat(alone.isLeader()).isFalse();
    assertThat(seen).hasSize(2);
    assertThat(seen.get(0)).startsWith("true on vert.x-eventloop-thread-");
    assertThat(seen.get(1)).startsWith("false on vert.x-eventloop-thread-");
    assertThat(awaitFailure(alone.start())).isInstanceOf(HomelabException.class);
  }

  @Test
  void anSqliteStoreAlwaysLeads(@TempDir Path dir) {
    Storage storage =
        await(
            Storage.open(
                vertx, new StorageOptions().setSqlitePath(dir.resolve("x.db").toString())));
    try {
      Leadership one = storage.leadership(Leadership.COLLECTORS, FAST);
      Leadership two = storage.leadership(Leadership.COLLECTORS, FAST);
      await(one.start());
      await(two.start());
      assertThat(one.isLeader()).isTrue();
      assertThat(two.isLeader()).as("an SQLite file has one instance: nothing to elect").isTrue();
      assertThat(one.name()).isEqualTo("homelab.collectors");
      await(one.close());
      await(two.close());
    } finally {
      await(storage.close());
    }
  }

  @Test
  void optionsCheckTheirRangeAndRoundTripThroughJson() {
    LeadershipOptions options = new LeadershipOptions();
    assertThat(options.getTtl()).isEqualTo(Duration.ofSeconds(15));
    assertThat(options.getInterval()).isEqualTo(Duration.ofSeconds(5));
    assertThatThrownBy(() -> options.setTtl(Duration.ofMillis(29)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> options.setTtl(Duration.ofHours(2)))
        .isInstanceOf(IllegalArgumentException.class);
    options.setTtl(Duration.ofSeconds(3));
    assertThat(new LeadershipOptions(options.toJson())).isEqualTo(options);
    assertThat(options.toJson()).isEqualTo(new JsonObject().put("ttl", "PT3S"));
    assertThat(new LeadershipOptions(new JsonObject()).getTtl()).isEqualTo(Duration.ofSeconds(15));
  }

  @Test
  void oneOfTwoLeadsAndTheOtherTakesOverWhenItCloses() {
    Shared owner = new Shared();
    Leadership one = Leadership.create(vertx, new MemoryLock(owner, "one"), FAST);
    Leadership two = Leadership.create(vertx, new MemoryLock(owner, "two"), FAST);
    try (LeadershipWatch watch = new LeadershipWatch(one, two)) {
      await(one.start());
      await(two.start());
      Leadership leader = watch.awaitLeader(WITHIN);
      assertThat(leader).isSameAs(one); // the first to try took the free lock
      watch.assertStaysLeader(one, Duration.ofMillis(800));
      await(one.close());
      assertThat(owner.owner()).as("released on close").isNotEqualTo("one");
      assertThat(watch.awaitLeader(WITHIN)).isSameAs(two);
      await(two.close());
      assertThat(owner.owner()).isNull();
      assertThat(watch.transitions())
          .containsExactly("#0 leads", "#0 follows", "#1 leads", "#1 follows");
    }
  }

  @Test
  void aLeaderWhoseRenewalsHangStepsDownBeforeItsLeaseRunsOut() {
    Shared owner = new Shared();
    MemoryLock stuck = new MemoryLock(owner, "stuck");
    Leadership one = Leadership.create(vertx, stuck, FAST);
    Leadership two = Leadership.create(vertx, new MemoryLock(owner, "two"), FAST);
    try (LeadershipWatch watch = new LeadershipWatch(one, two)) {
      await(one.start());
      await(two.start());
      assertThat(watch.awaitLeader(WITHIN)).isSameAs(one);
      long hungAt = System.nanoTime();
      stuck.hang = true;
      while (one.isLeader()) {
        Thread.onSpinWait();
      }
      Duration took = Duration.ofNanos(System.nanoTime() - hungAt);
      assertThat(took).as("stepped down within the ttl").isLessThan(FAST.getTtl());
      // Its release hangs too: the other one takes over once the lease has run out, never before.
      assertThat(watch.awaitLeader(WITHIN)).isSameAs(two);
      assertThat(owner.owner()).isEqualTo("two");
      await(one.close());
      await(two.close());
    }
  }

  @Test
  void anUnreachableBackendMakesAFollowerThatKeepsTrying() {
    Shared owner = new Shared();
    MemoryLock flaky = new MemoryLock(owner, "flaky");
    flaky.down = true;
    Leadership leadership = Leadership.create(vertx, flaky, FAST);
    try (LeadershipWatch watch = new LeadershipWatch(leadership)) {
      await(leadership.start()); // never fails for a backend failure
      assertThat(leadership.isLeader()).isFalse();
      flaky.down = false;
      assertThat(watch.awaitLeader(WITHIN)).isSameAs(leadership);
      flaky.down = true; // the next renewal fails: step down at once
      long downAt = System.nanoTime();
      while (leadership.isLeader()) {
        Thread.onSpinWait();
      }
      assertThat(Duration.ofNanos(System.nanoTime() - downAt)).isLessThan(FAST.getTtl());
      flaky.down = false;
      assertThat(watch.awaitLeader(WITHIN)).isSameAs(leadership);
      await(leadership.close());
    }
    assertThat(owner.owner()).isNull();
  }

  /** What the instances of one test share: the lock's owner and when its lease ends. */
  static final class Shared {
    private String owner;
    private long expires;

    synchronized String owner() {
      return System.nanoTime() - expires < 0 ? owner : null;
    }

    synchronized boolean take(String id, Duration lease, boolean renewOnly) {
      String current = owner();
      if (current == null ? renewOnly : !current.equals(id)) {
        return false;
      }
      owner = id;
      expires = System.nanoTime() + lease.toNanos();
      return true;
    }

    synchronized void release(String id) {
      if (id.equals(owner())) {
        owner = null;
      }
    }
  }

  /** A lock with a lease, held in memory; its backend may fail, or hang until told otherwise. */
  static final class MemoryLock implements LeaderLock {
    final Shared shared;
    final String id;
    volatile boolean down;
    volatile boolean hang;

    MemoryLock(Shared shared, String id) {
      this.shared = shared;
      this.id = id;
    }

    @Override
    public String name() {
      return "test.role";
    }

    private <T> Future<T> answer(Supplier<T> result) {
      if (hang) {
        return Promise.<T>promise().future(); // a stuck connection: never answers
      }
      return down
          ? Future.failedFuture(new IllegalStateException("the lock's backend is down"))
          : Future.succeededFuture(result.get());
    }

    @Override
    public Future<Boolean> acquire(Duration lease) {
      return answer(() -> shared.take(id, lease, false));
    }

    @Override
    public Future<Boolean> renew(Duration lease) {
      return answer(() -> shared.take(id, lease, true));
    }

    @Override
    public Future<Void> release() {
      return answer(
          () -> {
            shared.release(id);
            return null;
          });
    }
  }
}
