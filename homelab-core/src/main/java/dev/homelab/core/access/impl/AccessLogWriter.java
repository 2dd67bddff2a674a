package dev.homelab.core.access.impl;

import dev.homelab.core.HomelabException;
import dev.homelab.core.access.AccessLogEntry;
import dev.homelab.core.access.AccessLogRepository;
import dev.homelab.core.store.StorageException;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes access log rows with group commit: rows that arrive while a commit is in flight wait for
 * it and go together in the next one, so the rate of commits adapts to the load without a timer and
 * a quiet system commits each row at once.
 *
 * <p>Durable rows complete their future after their commit; if the commit fails they fail too (the
 * decision was never answered, so nothing acknowledged is lost). Asynchronous rows complete at once
 * and are retried with backoff until they commit, and close() waits for them all.
 *
 * <p>The queue lives on the writer's own context; callers' futures complete on their contexts.
 */
final class AccessLogWriter {

  private static final Logger LOG = LoggerFactory.getLogger(AccessLogWriter.class);
  private static final long MAX_RETRY_DELAY_MS = 30_000;
  private static final long CLOSE_DEADLINE_MS = 10_000;

  private record Pending(AccessLogEntry entry, Promise<Void> promise, Context caller) {}

  private final Vertx vertx;
  private final Context context;
  private final AccessLogRepository repository;
  private final boolean durable;
  private final int maxBatch;
  private final int maxPending;
  private final int maxCommits;
  private final AtomicInteger pending = new AtomicInteger();
  private final ArrayDeque<Pending> queue = new ArrayDeque<>();
  private int committing; // commits in flight
  private boolean retrying; // a failed commit's rows wait for a retry: no new commit until then
  private long retryDelay;
  private volatile boolean closing;
  private Promise<Void> drained;

  AccessLogWriter(
      Vertx vertx,
      Context context,
      AccessLogRepository repository,
      boolean durable,
      int maxBatch,
      int maxPending,
      int maxCommits) {
    this.vertx = vertx;
    this.context = context;
    this.repository = repository;
    this.durable = durable;
    this.maxBatch = maxBatch;
    this.maxPending = maxPending;
    this.maxCommits = maxCommits;
  }

  Future<Void> append(AccessLogEntry entry) {
    if (closing) {
      return Future.failedFuture(new HomelabException("the access engine is closed", true));
    }
    if (pending.incrementAndGet() > maxPending) {
      // The store is down or far behind: refuse the decision (it was never answered) rather than
      // queue without bound or acknowledge what may not be written.
      pending.decrementAndGet();
      return Future.failedFuture(
          new StorageException(
              "the access log is " + maxPending + " rows behind; the decision was not recorded",
              null));
    }
    Promise<Void> promise = durable ? Promise.promise() : null;
    Context caller = durable ? Vertx.currentContext() : null;
    context.runOnContext(v -> enqueue(new Pending(entry, promise, caller)));
    return durable ? promise.future() : Future.succeededFuture();
  }

  int pending() {
    return pending.get();
  }

  Future<Void> close() {
    closing = true; // at once: no append that starts after this is accepted
    Promise<Void> done = Promise.promise();
    context.runOnContext(
        v -> {
          drained = done;
          commitNext();
          // A store that stays down must not hold a shutdown forever.
          vertx.setTimer(
              CLOSE_DEADLINE_MS,
              id -> {
                if (done.tryComplete()) {
                  LOG.error(
                      "Closed with {} access decisions not recorded: the store did not answer",
                      pending.get());
                }
              });
        });
    return done.future();
  }

  private void enqueue(Pending pending) {
    queue.add(pending);
    commitNext();
  }

  private void commitNext() {
    while (!retrying && committing < maxCommits && !queue.isEmpty()) {
      commit();
    }
    // pending counts rows from their append, before they reach the queue: none is on its way.
    if (closing && drained != null && committing == 0 && pending.get() == 0) {
      drained.tryComplete();
    }
  }

  private void commit() {
    committing++;
    List<Pending> batch = new ArrayList<>(Math.min(queue.size(), maxBatch));
    while (batch.size() < maxBatch && !queue.isEmpty()) {
      batch.add(queue.poll());
    }
    List<AccessLogEntry> rows = new ArrayList<>(batch.size());
    batch.forEach(p -> rows.add(p.entry));
    repository
        .append(rows)
        .onComplete(
            result -> {
              committing--;
              if (result.succeeded()) {
                committed(batch);
              } else {
                failed(batch, result.cause());
              }
            });
  }

  private void committed(List<Pending> batch) {
    pending.addAndGet(-batch.size());
    retryDelay = 0;
    for (Pending p : batch) {
      settle(p, null);
    }
    commitNext();
  }

  private void failed(List<Pending> batch, Throwable cause) {
    // Rows whose callers wait were never acknowledged: fail them, so the callers can refuse the
    // scan. Rows already acknowledged go back to the head of the queue and are retried.
    List<Pending> acknowledged = new ArrayList<>();
    int dropped = 0;
    for (Pending p : batch) {
      if (p.promise == null) {
        acknowledged.add(p);
      } else {
        dropped++;
        settle(p, cause);
      }
    }
    pending.addAndGet(-dropped);
    for (int i = acknowledged.size() - 1; i >= 0; i--) {
      queue.addFirst(acknowledged.get(i));
    }
    if (acknowledged.isEmpty()) {
      LOG.warn(
          "Could not record {} access decisions; they were refused: {}", dropped, cause.toString());
      commitNext();
      return;
    }
    retryDelay = retryDelay == 0 ? 250 : Math.min(retryDelay * 2, MAX_RETRY_DELAY_MS);
    LOG.warn(
        "Could not record {} acknowledged access decisions, retrying in {} ms: {}",
        acknowledged.size(),
        retryDelay,
        cause.toString());
    retrying = true;
    vertx.setTimer(
        retryDelay,
        id ->
            context.runOnContext(
                v -> {
                  retrying = false;
                  commitNext();
                }));
  }

  private void settle(Pending p, Throwable failure) {
    if (p.promise == null) {
      return;
    }
    Runnable complete =
        () -> {
          if (failure == null) {
            p.promise.complete();
          } else {
            p.promise.fail(failure);
          }
        };
    if (p.caller == null || p.caller == context) {
      complete.run();
    } else {
      p.caller.runOnContext(v -> complete.run());
    }
  }
}
