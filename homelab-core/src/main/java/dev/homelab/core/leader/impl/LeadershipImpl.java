package dev.homelab.core.leader.impl;

import dev.homelab.core.leader.LeaderLock;
import dev.homelab.core.leader.LeadershipOptions;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The campaign for a lock: one periodic tick tries to acquire it (as a follower) or renews it (as
 * the leader), and a lease timer deposes a leader whose last successful renewal was sent a ttl ago.
 * Calls to the lock run one at a time, in order; every field is touched on the context only.
 */
public final class LeadershipImpl extends LeadershipBase {

  private static final Logger LOG = LoggerFactory.getLogger(LeadershipImpl.class);

  private final LeaderLock lock;
  private final Duration ttl;
  private final long intervalMillis;
  private Future<?> inflight = Future.succeededFuture();
  private int pending;
  private boolean started;
  private boolean failing;
  private long ticker = -1;
  private long leaseTimer = -1;
  private long quietUntil; // System.nanoTime() before which a deposed leader does not try again
  private Future<Void> closing;

  public LeadershipImpl(Vertx vertx, LeaderLock lock, LeadershipOptions options) {
    super(vertx, lock.name());
    this.lock = lock;
    this.ttl = options.getTtl();
    this.intervalMillis = Math.max(1, options.getInterval().toMillis());
    this.quietUntil = System.nanoTime();
    lock.lostHandler(
        v ->
            onContext(
                () -> {
                  if (isLeader() && closing == null) {
                    stepDown("the lock was lost");
                  }
                }));
  }

  @Override
  public Future<Void> start() {
    Promise<Void> first = Promise.promise();
    onContext(
        () -> {
          if (closing != null) {
            first.handle(closedFailure());
          } else if (started) {
            first.complete();
          } else {
            started = true;
            ticker = vertx.setPeriodic(intervalMillis, id -> attempt());
            attempt().onComplete(done -> first.complete());
          }
        });
    return first.future();
  }

  /** Tries to take the lock, or renews it, unless a call to the lock is still going on. */
  private Future<Void> attempt() {
    if (pending > 0 || closing != null || (!isLeader() && System.nanoTime() - quietUntil < 0)) {
      return Future.succeededFuture();
    }
    boolean renewing = isLeader();
    long sent = System.nanoTime();
    return call(() -> renewing ? lock.renew(ttl) : lock.acquire(ttl))
        .transform(
            result -> {
              settle(renewing, sent, result);
              return Future.succeededFuture();
            });
  }

  private void settle(boolean renewing, long sent, AsyncResult<Boolean> result) {
    if (closing != null || renewing != isLeader()) {
      return; // closed or deposed meanwhile: the release is queued after this call
    }
    if (result.failed()) {
      backendFailed(result.cause());
    } else if (failing) {
      failing = false;
      LOG.info("The lock of {} answers again", name());
    }
    boolean answeredYes = result.succeeded() && Boolean.TRUE.equals(result.result());
    long leftMillis = TimeUnit.NANOSECONDS.toMillis(ttl.toNanos() - (System.nanoTime() - sent)) - 1;
    if (answeredYes && leftMillis > 0) {
      vertx.cancelTimer(leaseTimer);
      leaseTimer = vertx.setTimer(leftMillis, id -> leaseRanOut());
      if (!renewing) {
        elect("took the lock");
      }
    } else if (renewing) {
      stepDown(
          result.failed()
              ? "could not renew the lock (" + result.cause() + ")"
              : answeredYes
                  ? "the renewal answered after the lease had run out"
                  : "the lock is no longer this instance's");
    } else if (result.failed() || answeredYes) {
      release(); // a call that failed, timed out or answered too late may have taken the lock
    }
  }

  private void leaseRanOut() {
    leaseTimer = -1;
    if (isLeader() && closing == null) {
      stepDown("no renewal succeeded within the ttl of " + ttl.toMillis() + " ms");
    }
  }

  /**
   * Deposes this instance (the handler runs first), then releases the lock. It then sits out one
   * ttl before trying again, so that a follower, likely healthier, takes over.
   */
  private void stepDown(String why) {
    vertx.cancelTimer(leaseTimer);
    leaseTimer = -1;
    quietUntil = System.nanoTime() + ttl.toNanos();
    depose(why);
    release();
  }

  private Future<Void> release() {
    return call(lock::release)
        .recover(
            failure -> {
              LOG.debug("Could not release the lock of {}: {}", name(), failure.toString());
              return Future.succeededFuture();
            });
  }

  private void backendFailed(Throwable cause) {
    if (failing) {
      LOG.debug("The lock of {} still does not answer: {}", name(), cause.toString());
    } else {
      failing = true;
      LOG.warn(
          "The lock of {} does not answer ({}); trying again every {} ms",
          name(),
          cause.toString(),
          intervalMillis);
    }
  }

  /**
   * Calls the lock once every earlier call has finished, with a timeout of one interval; the result
   * is delivered on the context.
   */
  private <T> Future<T> call(Supplier<Future<T>> operation) {
    pending++;
    Promise<T> done = Promise.promise();
    inflight.onComplete(
        previous -> {
          Future<T> future;
          try {
            future = operation.get();
          } catch (Throwable e) { // even an Error must not leave the call pending for ever
            future = Future.failedFuture(e);
          }
          future
              .timeout(intervalMillis, TimeUnit.MILLISECONDS)
              .onComplete(
                  result ->
                      onContext(
                          () -> {
                            pending--;
                            done.handle(result);
                          }));
        });
    inflight = done.future();
    return done.future();
  }

  @Override
  public Future<Void> close() {
    Promise<Void> closed = Promise.promise();
    onContext(
        () -> {
          if (closing == null) {
            vertx.cancelTimer(ticker);
            vertx.cancelTimer(leaseTimer);
            if (isLeader()) {
              depose("closed");
            }
            closing = release();
          }
          closing.onComplete(closed);
        });
    return closed.future();
  }
}
