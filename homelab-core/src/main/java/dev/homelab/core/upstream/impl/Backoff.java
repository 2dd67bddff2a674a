package dev.homelab.core.upstream.impl;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * Exponential backoff with jitter: the wait before the n-th consecutive attempt (n from 0) is
 * {@code min(max, initial * 2^n)} less a random part of up to {@code jitter} of it. Not thread-safe
 * when the generator is not.
 */
public final class Backoff {

  private final long initialMs;
  private final long maxMs;
  private final double jitter;
  private final RandomGenerator random;

  /**
   * @param initial the first wait
   * @param max the longest wait
   * @param jitter the random part, 0 to 1
   * @param random the source of randomness
   */
  public Backoff(Duration initial, Duration max, double jitter, RandomGenerator random) {
    this.initialMs = Math.max(1, initial.toMillis());
    this.maxMs = Math.max(initialMs, max.toMillis());
    this.jitter = jitter;
    this.random = random;
  }

  /**
   * @param failures consecutive failures so far, 0 for the first retry
   * @return the wait in milliseconds, between {@code (1 - jitter)} and all of the nominal wait,
   *     never above the maximum nor below 1
   */
  public long delayMillis(int failures) {
    // Shifting past 30 bits overflows long math long before it matters: the cap wins by then.
    long nominal = failures >= 30 ? maxMs : Math.min(maxMs, initialMs << failures);
    return bounded(nominal);
  }

  /**
   * @param requestedMs a wait the upstream asked for with {@code retry:}
   * @return it jittered and within the maximum
   */
  public long delayMillisRequested(long requestedMs) {
    return bounded(Math.min(maxMs, Math.max(1, requestedMs)));
  }

  /**
   * The wait after a number of failures when the upstream asked for one with {@code retry:}: the
   * longer of the two, so that a small hint (even {@code retry: 0}) never turns the backoff off.
   *
   * @param requestedMs the wait the upstream asked for
   * @param failures failures in a row so far
   * @return the wait, jittered and within the maximum
   */
  public long delayMillis(long requestedMs, int failures) {
    long nominal = failures >= 30 ? maxMs : Math.min(maxMs, initialMs << failures);
    return bounded(Math.min(maxMs, Math.max(Math.max(1, requestedMs), nominal)));
  }

  private long bounded(long nominal) {
    long wait = Math.round(nominal * (1 - jitter * random.nextDouble()));
    return Math.max(1, Math.min(maxMs, wait));
  }
}
