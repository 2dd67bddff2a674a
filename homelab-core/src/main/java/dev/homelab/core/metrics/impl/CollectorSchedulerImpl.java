package dev.homelab.core.metrics.impl;

import dev.homelab.core.metrics.Collector;
import dev.homelab.core.metrics.CollectorScheduler;
import dev.homelab.core.metrics.CollectorStats;
import dev.homelab.core.metrics.Downsampler;
import dev.homelab.core.metrics.WriteResult;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Timers, retries and counters for collectors. */
public final class CollectorSchedulerImpl implements CollectorScheduler {

  private static final Logger LOG = LoggerFactory.getLogger(CollectorSchedulerImpl.class);

  private final Vertx vertx;
  private final Downsampler downsampler;
  private final long timeoutMillis;
  private final long backoffMillis;
  private final Clock clock;
  private final Map<String, Scheduled> collectors = new ConcurrentHashMap<>();
  private volatile boolean closed;
  private volatile boolean paused;
  // Counts pauses: a run that a pause came during is dropped even if resume() came before its end.
  private final AtomicLong pauses = new AtomicLong();

  /** What an attempt answers when it was paused before writing. */
  private static final WriteResult SKIPPED = new WriteResult(0, 0, 0);

  /** One collector with its timer, its running flag and its counters. */
  private static final class Scheduled {
    final Collector collector;
    final AtomicBoolean running = new AtomicBoolean();
    final long timeoutMillis;
    final int retries;
    long timer = -1;
    // Whether the last run failed: only the first failure of a streak is logged above DEBUG.
    volatile boolean failing;
    volatile CollectorStats stats = new CollectorStats(0, 0, 0, null, null);

    Scheduled(Collector collector, long defaultTimeoutMillis) {
      this.collector = collector;
      Duration timeout = collector.timeout();
      this.timeoutMillis = timeout == null ? defaultTimeoutMillis : timeout.toMillis();
      this.retries = collector.retries();
      if (timeoutMillis < 1 || retries < 0 || retries > 10) {
        throw new IllegalArgumentException(
            collector.name() + ": the timeout must be at least 1 ms, the retries 0 to 10");
      }
    }
  }

  public CollectorSchedulerImpl(
      Vertx vertx, Downsampler downsampler, Duration timeout, Duration backoff, Clock clock) {
    this.vertx = vertx;
    this.downsampler = downsampler;
    this.timeoutMillis = timeout.toMillis();
    this.backoffMillis = backoff.toMillis();
    this.clock = clock;
    if (timeoutMillis < 1 || backoffMillis < 1) {
      throw new IllegalArgumentException("timeout and backoff must be at least 1 ms");
    }
  }

  @Override
  public CollectorScheduler add(Collector collector) {
    Scheduled scheduled = new Scheduled(collector, timeoutMillis);
    if (collectors.putIfAbsent(collector.name(), scheduled) != null) {
      throw new IllegalArgumentException("a collector is already named " + collector.name());
    }
    long interval = Math.max(1, collector.interval().toMillis());
    synchronized (scheduled) {
      scheduled.timer = vertx.setPeriodic(1, interval, id -> run(scheduled));
    }
    return this;
  }

  @Override
  public Future<Boolean> runNow(String name) {
    Scheduled scheduled = collectors.get(name);
    if (scheduled == null) {
      return Future.failedFuture(new IllegalArgumentException("no collector is named " + name));
    }
    return run(scheduled);
  }

  @Override
  public CollectorScheduler pause() {
    paused = true;
    pauses.incrementAndGet();
    return this;
  }

  @Override
  public CollectorScheduler resume() {
    paused = false;
    return this;
  }

  @Override
  public boolean isPaused() {
    return paused;
  }

  private Future<Boolean> run(Scheduled scheduled) {
    if (closed || paused || !scheduled.running.compareAndSet(false, true)) {
      return Future.succeededFuture(false); // the previous run (with its retries) goes on
    }
    Promise<Boolean> done = Promise.promise();
    attempt(scheduled, 0, done, pauses.get());
    return done.future().onComplete(r -> scheduled.running.set(false));
  }

  private void attempt(Scheduled scheduled, int retry, Promise<Boolean> done, long epoch) {
    Collector collector = scheduled.collector;
    Future<?> attempt;
    try {
      attempt =
          collector
              .collect()
              .timeout(scheduled.timeoutMillis, TimeUnit.MILLISECONDS)
              // Paused while collecting: the points are dropped, not written.
              .compose(
                  points ->
                      interrupted(epoch)
                          ? Future.succeededFuture(SKIPPED)
                          : downsampler.write(points));
    } catch (RuntimeException e) {
      attempt = Future.failedFuture(e);
    }
    attempt.onComplete(
        result -> {
          CollectorStats s = scheduled.stats;
          if (result.succeeded() && result.result() == SKIPPED) {
            done.complete(false); // neither a success nor a failure
          } else if (result.succeeded()) {
            if (scheduled.failing) {
              scheduled.failing = false;
              LOG.info("Collector {} delivers again", collector.name());
            }
            scheduled.stats =
                new CollectorStats(
                    s.successes() + 1, s.failures(), s.retries(), clock.instant(), null);
            done.complete(true);
          } else if (interrupted(epoch)) {
            done.complete(false); // not retried while paused or closed
          } else if (retry < scheduled.retries) {
            scheduled.stats =
                new CollectorStats(
                    s.successes(),
                    s.failures(),
                    s.retries() + 1,
                    s.lastSuccess(),
                    message(result.cause()));
            long delay = backoffMillis << retry; // 1 s, 2 s, 4 s
            vertx.setTimer(
                delay,
                id -> {
                  if (interrupted(epoch)) {
                    done.complete(false);
                  } else {
                    attempt(scheduled, retry + 1, done, epoch);
                  }
                });
          } else {
            String error = message(result.cause());
            scheduled.stats =
                new CollectorStats(
                    s.successes(), s.failures() + 1, s.retries(), s.lastSuccess(), error);
            if (!scheduled.failing) {
              scheduled.failing = true;
              LOG.warn(
                  "Collector {} failed after {} retries: {} (further failures are logged at DEBUG"
                      + " until it delivers again)",
                  collector.name(),
                  retry,
                  error);
            } else {
              LOG.debug("Collector {} failed again: {}", collector.name(), error);
            }
            done.complete(false);
          }
        });
  }

  /** Whether the scheduler was closed, or paused since the run began (even if resumed since). */
  private boolean interrupted(long epoch) {
    return closed || paused || pauses.get() != epoch;
  }

  private static String message(Throwable failure) {
    return failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage();
  }

  @Override
  public Map<String, CollectorStats> stats() {
    Map<String, CollectorStats> stats = new TreeMap<>();
    collectors.forEach((name, s) -> stats.put(name, s.stats));
    return stats;
  }

  @Override
  public Future<Void> close() {
    closed = true;
    for (Scheduled scheduled : collectors.values()) {
      synchronized (scheduled) {
        vertx.cancelTimer(scheduled.timer);
      }
    }
    return Future.succeededFuture();
  }
}
