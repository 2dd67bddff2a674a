package dev.homelab.core.metrics;

import dev.homelab.core.metrics.impl.CollectorSchedulerImpl;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/**
 * Runs {@link Collector}s at their intervals and writes what they collect into a {@link
 * Downsampler}: each attempt has a timeout, a failed attempt is retried 3 times with exponential
 * backoff (1 s, 2 s, 4 s by default, seed 003), and runs of one collector never overlap. A
 * collector may ask for its own timeout and number of retries ({@link Collector#timeout()}, {@link
 * Collector#retries()}).
 *
 * <p>A collector that keeps failing is logged once, at WARN, when it starts failing, then at DEBUG
 * until it delivers again, which is logged at INFO: an upstream that is down for a day fills no
 * log.
 */
public interface CollectorScheduler {

  /** How long one attempt may take by default: 10 seconds. */
  Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

  /** The first retry's delay by default, doubled for each further retry: 1 second. */
  Duration DEFAULT_BACKOFF = Duration.ofSeconds(1);

  /** How many times a failed attempt is retried unless its collector says otherwise: {@value}. */
  int RETRIES = 3;

  /**
   * Like {@link #create(Vertx, Downsampler, Duration, Duration, Clock)} with the default timeout
   * and backoff and the system clock.
   *
   * @param vertx the Vert.x instance for timers
   * @param downsampler where the points go
   * @return a new scheduler with no collectors
   */
  static CollectorScheduler create(Vertx vertx, Downsampler downsampler) {
    return create(vertx, downsampler, DEFAULT_TIMEOUT, DEFAULT_BACKOFF, Clock.systemUTC());
  }

  /**
   * Creates a scheduler.
   *
   * @param vertx the Vert.x instance for timers
   * @param downsampler where the points go
   * @param timeout how long one attempt may take
   * @param backoff the first retry's delay, doubled for each further retry
   * @param clock the clock for {@link CollectorStats#lastSuccess()}
   * @return a new scheduler with no collectors
   */
  static CollectorScheduler create(
      Vertx vertx, Downsampler downsampler, Duration timeout, Duration backoff, Clock clock) {
    return new CollectorSchedulerImpl(vertx, downsampler, timeout, backoff, clock);
  }

  /**
   * Adds a collector and runs it at once, then at its interval.
   *
   * @param collector the collector; its name must be new
   * @return this scheduler
   * @throws IllegalArgumentException if a collector with that name was added already
   */
  CollectorScheduler add(Collector collector);

  /**
   * Runs a collector now, with retries, unless a run of it is already going on.
   *
   * @param name the collector's name
   * @return a future completed when the run ends: with {@code true} if it delivered points
   */
  Future<Boolean> runNow(String name);

  /**
   * Stops running collectors until {@link #resume()}: ticks are skipped, {@link #runNow} answers
   * {@code false}, and a run in progress writes nothing more, even if {@link #resume()} comes
   * before it ends (it counts neither as a success nor as a failure). For instances of which only
   * the leader collects.
   *
   * @return this scheduler
   */
  CollectorScheduler pause();

  /**
   * Runs collectors again after {@link #pause()}, each from its next tick.
   *
   * @return this scheduler
   */
  CollectorScheduler resume();

  /**
   * @return {@code true} between {@link #pause()} and {@link #resume()}
   */
  boolean isPaused();

  /**
   * @return each collector's counters, by name
   */
  Map<String, CollectorStats> stats();

  /**
   * Stops every collector's timer; runs in flight finish.
   *
   * @return a future completed when stopped
   */
  Future<Void> close();
}
