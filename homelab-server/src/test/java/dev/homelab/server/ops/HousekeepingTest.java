package dev.homelab.server.ops;

import static dev.homelab.core.testing.VertxTesting.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.homelab.core.access.AccessLogEntry;
import dev.homelab.core.access.Reason;
import dev.homelab.core.audit.AuditEntry;
import dev.homelab.core.audit.AuditQuery;
import dev.homelab.core.store.Storage;
import dev.homelab.core.store.StorageOptions;
import dev.homelab.core.testing.MutableClock;
import dev.homelab.core.testing.VertxTesting;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Housekeeping removes audit entries and access log rows past their retention, in batches, and
 * keeps the rest; started twice it still runs once an hour, and it starts again after a stop (as it
 * does when its instance loses and regains the leadership).
 *
 * <p>Reliability row F19 (clock jumps): an hour back after a run nothing newer than the cut-off of
 * that run goes, an hour forward only what is older than the new cut-off goes, and a revocation
 * outlives a forward step that is taken back, so the revoked token does not come back to life.
 */
class HousekeepingTest {

  static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");

  @TempDir Path dir;
  Vertx vertx;
  Storage storage;

  @BeforeEach
  void open() {
    vertx = VertxTesting.vertx();
    storage =
        await(
            Storage.open(
                vertx, new StorageOptions().setSqlitePath(dir.resolve("h.db").toString())));
  }

  @AfterEach
  void close() {
    await(storage.close());
    await(vertx.close());
  }

  @Test
  void expiredAuditEntriesAndAccessRowsGoTheOthersStay() {
    // More expired access rows than one batch holds.
    List<AccessLogEntry> rows = new ArrayList<>();
    for (int i = 0; i < Housekeeping.BATCH + 5; i++) {
      rows.add(row(i, NOW.minus(Duration.ofDays(400)).plusSeconds(i)));
    }
    rows.add(row(99_999, NOW.minus(Duration.ofDays(1))));
    await(storage.accessLog().append(rows));
    await(storage.audit().append(audit(NOW.minus(Duration.ofDays(100)), "old")));
    await(storage.audit().append(audit(NOW.minus(Duration.ofDays(2)), "recent")));

    Housekeeping housekeeping =
        new Housekeeping(
            vertx, storage, Duration.ofDays(90), Duration.ofDays(365), new MutableClock(NOW));
    await(housekeeping.runOnce());

    assertThat(await(storage.accessLog().byId(rows.get(0).id()))).isNull();
    assertThat(await(storage.accessLog().byId(rows.get(Housekeeping.BATCH + 4).id()))).isNull();
    assertThat(await(storage.accessLog().byId(rows.get(rows.size() - 1).id()))).isNotNull();
    assertThat(await(storage.audit().list(AuditQuery.newest())).items())
        .extracting(AuditEntry::action)
        .containsExactly("recent");

    housekeeping.start();
    housekeeping.start(); // a second start is ignored
    housekeeping.stop();
    housekeeping.start(); // and a stopped one starts again
    housekeeping.stop();
  }

  @Test
  void clockJumpsDeleteOnlyWhatIsOlderThanTheCutoffNowAndKeepRevocations() {
    MutableClock clock = new MutableClock(NOW);
    Instant cutoff = NOW.minus(Duration.ofDays(90));
    await(storage.audit().append(audit(cutoff.minusSeconds(1), "expired")));
    await(storage.audit().append(audit(cutoff.plus(Duration.ofMinutes(30)), "half-hour")));
    await(storage.audit().append(audit(cutoff.plus(Duration.ofMinutes(90)), "hour-and-half")));
    await(storage.revokedTokens().revoke("t-1", NOW.plus(Duration.ofMinutes(30))));
    Housekeeping housekeeping =
        new Housekeeping(vertx, storage, Duration.ofDays(90), Duration.ofDays(365), clock);

    await(housekeeping.runOnce());
    assertAudit("hour-and-half", "half-hour");
    clock.advance(Duration.ofHours(-1));
    await(housekeeping.runOnce());
    assertAudit("hour-and-half", "half-hour");
    clock.advance(Duration.ofHours(2));
    await(housekeeping.runOnce());
    assertAudit("hour-and-half");

    // The token expired by the clock an hour ahead; the clock is set right again: the token is
    // current again by it, so its revocation must still be there.
    clock.advance(Duration.ofHours(-1));
    assertThat(await(storage.revokedTokens().isRevoked("t-1"))).isTrue();
    await(housekeeping.runOnce());
    assertThat(await(storage.revokedTokens().isRevoked("t-1"))).isTrue();
    // Kept for a while past the expiry, not forever.
    clock.set(NOW.plus(Duration.ofMinutes(30)).plus(Housekeeping.REVOCATION_GRACE).plusSeconds(1));
    await(housekeeping.runOnce());
    assertThat(await(storage.revokedTokens().isRevoked("t-1"))).isFalse();
  }

  private void assertAudit(String... newestFirst) {
    assertThat(await(storage.audit().list(AuditQuery.newest())).items())
        .extracting(AuditEntry::action)
        .containsExactly(newestFirst);
  }

  private static AccessLogEntry row(int n, Instant time) {
    return new AccessLogEntry(
        String.format("0190f000-0000-7000-8000-%012d", n),
        time,
        "door-1",
        "BA839D07",
        true,
        Reason.GRANTED,
        "Ann",
        0.01);
  }

  private static AuditEntry audit(Instant time, String action) {
    return new AuditEntry(0, time, action, "ok", null, "admin", "127.0.0.1", "r", null, null);
  }
}
