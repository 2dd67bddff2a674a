package dev.homelab.server.ops;

import dev.homelab.core.leader.LeaderJob;
import dev.homelab.core.store.Storage;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.BiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Periodic clean-up of what auth leaves behind: audit entries past their retention, deleted in
 * bounded batches, and revocations of tokens that have expired anyway (a day ago, so that a clock
 * step taken back does not revive a revoked token). Runs at start and hourly.
 */
public final class Housekeeping implements LeaderJob {

  private static final Logger log = LoggerFactory.getLogger(Housekeeping.class);
  static final int BATCH = 1_000;
  private static final long PERIOD_MS = Duration.ofHours(1).toMillis();

  /**
   * How long a revocation is kept after its token expired: a clock stepped forward and set right
   * again (reliability row F19) must not bring a revoked token back to life. A day, so that a jump
   * of that size is covered; the rows are tiny.
   */
  static final Duration REVOCATION_GRACE = Duration.ofDays(1);

  private final Vertx vertx;
  private final Storage storage;
  private final Duration auditRetention;
  private final Duration accessLogRetention;
  private final Clock clock;
  private long timer = -1;

  /**
   * @param vertx the Vert.x instance
   * @param storage the store
   * @param auditRetention how long audit entries are kept
   * @param accessLogRetention how long access log rows are kept
   * @param clock the clock
   */
  public Housekeeping(
      Vertx vertx,
      Storage storage,
      Duration auditRetention,
      Duration accessLogRetention,
      Clock clock) {
    this.vertx = vertx;
    this.storage = storage;
    this.auditRetention = auditRetention;
    this.accessLogRetention = accessLogRetention;
    this.clock = clock;
  }

  /** Runs once now, then hourly. */
  @Override
  public synchronized void start() {
    if (timer >= 0) {
      return; // already running
    }
    runOnce();
    timer = vertx.setPeriodic(PERIOD_MS, id -> runOnce());
  }

  /** Stops the hourly run; {@link #start()} starts it again. */
  @Override
  public synchronized void stop() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
      timer = -1;
    }
  }

  /**
   * @return completes when expired audit entries, access log rows and revocations are gone
   */
  public Future<Void> runOnce() {
    return purge(storage.audit()::deleteOlderThan, auditRetention, 0)
        .compose(
            audit ->
                purge(storage.accessLog()::deleteOlderThan, accessLogRetention, 0)
                    .compose(
                        accessRows ->
                            storage
                                .revokedTokens()
                                .purgeExpired(clock.instant().minus(REVOCATION_GRACE))
                                .map(
                                    tokens -> {
                                      if (audit + accessRows + tokens > 0) {
                                        log.info(
                                            "Housekeeping removed {} expired audit entries, {}"
                                                + " access log rows and {} token revocations",
                                            audit,
                                            accessRows,
                                            tokens);
                                      }
                                      return (Void) null;
                                    })))
        .onFailure(failure -> log.warn("Housekeeping failed: {}", failure.getMessage()));
  }

  /** Deletes in bounded batches until a batch comes back short. */
  private Future<Integer> purge(
      BiFunction<Instant, Integer, Future<Integer>> deleteOlderThan,
      Duration retention,
      int removedSoFar) {
    return deleteOlderThan
        .apply(clock.instant().minus(retention), BATCH)
        .compose(
            removed ->
                removed < BATCH
                    ? Future.succeededFuture(removedSoFar + removed)
                    : purge(deleteOlderThan, retention, removedSoFar + removed));
  }
}
