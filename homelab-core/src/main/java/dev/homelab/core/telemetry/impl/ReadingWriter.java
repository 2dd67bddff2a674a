package dev.homelab.core.telemetry.impl;

import dev.homelab.core.ErrorKind;
import dev.homelab.core.HomelabException;
import dev.homelab.core.telemetry.SensorReading;
import dev.homelab.core.telemetry.SensorReadingRepository;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Writes readings with group commit: the calls that arrive while a commit is in flight wait for it
 * and go together in the next one, so the rate of commits adapts to the load without a timer, and a
 * quiet system commits each call at once. A call's future completes only after the commit that
 * holds its readings (that is what lets an HTTP 2xx or an MQTT PUBACK mean durable); if the commit
 * fails, every call in it fails, and nothing of them was acknowledged.
 *
 * <p>The queue is bounded in readings: past {@code maxPending} a call is refused at once ({@value
 * #BUSY}), never queued without bound. The queue lives on the writer's own context; callers'
 * futures complete on theirs.
 */
public final class ReadingWriter {

  /** The error code of a call refused because too many readings wait for their commit. */
  public static final String BUSY = "INGEST_BUSY";

  private record Pending(
      List<SensorReading> readings, Promise<List<SensorReading>> promise, Context caller) {}

  private final Context context;
  private final SensorReadingRepository repository;
  private final Clock clock;
  private final int maxBatch;
  private final int maxPending;
  private final int maxCommits;
  private final AtomicInteger pending = new AtomicInteger();
  private final ArrayDeque<Pending> queue = new ArrayDeque<>();
  private int committing; // commits in flight; touched on the context only
  private volatile boolean closing;
  private Promise<Void> drained;

  /**
   * @param vertx the Vert.x instance
   * @param repository where the readings go
   * @param clock the time each commit records
   * @param maxBatch the most readings in one commit (a call is never split)
   * @param maxPending the most readings waiting
   * @param maxCommits how many commits may be in flight at once
   */
  public ReadingWriter(
      Vertx vertx,
      SensorReadingRepository repository,
      Clock clock,
      int maxBatch,
      int maxPending,
      int maxCommits) {
    this.context = vertx.getOrCreateContext();
    this.repository = repository;
    this.clock = clock;
    this.maxBatch = maxBatch;
    this.maxPending = maxPending;
    this.maxCommits = maxCommits;
  }

  /**
   * @param readings checked readings of one call
   * @return the readings of this call that were stored for the first time, once committed
   */
  public Future<List<SensorReading>> append(List<SensorReading> readings) {
    if (closing) {
      return Future.failedFuture(
          new HomelabException(
              ErrorKind.UNAVAILABLE, "INGEST_CLOSED", "sensor ingestion is shutting down"));
    }
    if (pending.addAndGet(readings.size()) > maxPending) {
      pending.addAndGet(-readings.size());
      return Future.failedFuture(
          new HomelabException(
              ErrorKind.BUSY,
              BUSY,
              maxPending + " readings are waiting for their commit; try again in a moment"));
    }
    Promise<List<SensorReading>> promise = Promise.promise();
    Pending call = new Pending(List.copyOf(readings), promise, Vertx.currentContext());
    context.runOnContext(v -> enqueue(call));
    return promise.future();
  }

  /**
   * @return how many readings wait for their commit
   */
  public int pending() {
    return pending.get();
  }

  /**
   * Refuses new calls and completes once the queued ones are committed (or failed).
   *
   * @return completion
   */
  public Future<Void> close() {
    closing = true;
    Promise<Void> done = Promise.promise();
    context.runOnContext(
        v -> {
          drained = done;
          commitNext();
        });
    return done.future();
  }

  private void enqueue(Pending call) {
    queue.add(call);
    commitNext();
  }

  private void commitNext() {
    while (committing < maxCommits && !queue.isEmpty()) {
      commit();
    }
    if (closing && drained != null && committing == 0 && pending.get() == 0) {
      drained.tryComplete();
    }
  }

  private void commit() {
    committing++;
    List<Pending> batch = new ArrayList<>();
    List<SensorReading> rows = new ArrayList<>();
    // At least one call; more while they fit.
    while (!queue.isEmpty()
        && (batch.isEmpty() || rows.size() + queue.peek().readings.size() <= maxBatch)) {
      Pending call = queue.poll();
      batch.add(call);
      rows.addAll(call.readings);
    }
    repository
        .append(rows, clock.instant())
        .onComplete(
            result -> {
              committing--;
              pending.addAndGet(-rows.size());
              if (result.succeeded()) {
                Set<SensorReading> stored = Collections.newSetFromMap(new IdentityHashMap<>());
                stored.addAll(result.result());
                for (Pending call : batch) {
                  List<SensorReading> mine = new ArrayList<>();
                  for (SensorReading reading : call.readings) {
                    if (stored.contains(reading)) {
                      mine.add(reading);
                    }
                  }
                  settle(call, mine, null);
                }
              } else {
                batch.forEach(call -> settle(call, null, result.cause()));
              }
              commitNext();
            });
  }

  private static void settle(Pending call, List<SensorReading> stored, Throwable failure) {
    Runnable complete =
        () -> {
          if (failure == null) {
            call.promise.complete(stored);
          } else {
            call.promise.fail(failure);
          }
        };
    if (call.caller == null) {
      complete.run();
    } else {
      call.caller.runOnContext(v -> complete.run());
    }
  }
}
