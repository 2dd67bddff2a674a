package dev.homelab.server.auth;

import io.vertx.core.Future;
import java.time.Duration;

/**
 * Counters that expire: the primitive behind request budgets and account lockout. Kept in memory on
 * one instance, or in Redis so that every instance shares them and they survive a restart.
 */
public interface RateLimiter {

  /**
   * A counter's state.
   *
   * @param count hits in the current window
   * @param retryAfterSeconds seconds until the window ends (at least 1 while it runs), 0 if there
   *     is no window
   */
  record Counter(long count, long retryAfterSeconds) {}

  /**
   * Counts one hit; the first hit opens a window of the given length.
   *
   * @param key the counter, for example {@code login-ip:10.0.0.5}
   * @param window how long the window lasts from its first hit
   * @return the state after the hit
   */
  Future<Counter> hit(String key, Duration window);

  /**
   * @param key the counter
   * @return its state, {@code (0, 0)} if there is none
   */
  Future<Counter> peek(String key);

  /**
   * Restarts the window of an existing counter, keeping its count.
   *
   * @param key the counter
   * @param window the new window, from now
   * @return completes when done
   */
  Future<Void> extend(String key, Duration window);

  /**
   * @param key the counter
   * @return completes when the counter is gone
   */
  Future<Void> reset(String key);

  /**
   * @return completes when released
   */
  Future<Void> close();
}
