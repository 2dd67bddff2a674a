package dev.homelab.server.auth.impl;

import dev.homelab.server.auth.RateLimiter;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.LongSupplier;

/** Counters in this process: for a single instance without Redis. */
public final class MemoryRateLimiter implements RateLimiter {

  /** Beyond this many live counters, expired ones are swept before adding more. */
  private static final int SWEEP_ABOVE = 100_000;

  private record Window(long count, long endsAtMillis) {}

  private final ConcurrentMap<String, Window> windows = new ConcurrentHashMap<>();
  private final LongSupplier clockMillis;

  /**
   * @param clockMillis a monotonic time in milliseconds (windows are only compared with it, so a
   *     wall clock stepped by NTP would lengthen or cut them)
   */
  public MemoryRateLimiter(LongSupplier clockMillis) {
    this.clockMillis = clockMillis;
  }

  @Override
  public Future<Counter> hit(String key, Duration window) {
    long now = clockMillis.getAsLong();
    if (windows.size() > SWEEP_ABOVE) {
      windows.values().removeIf(w -> w.endsAtMillis() <= now);
    }
    Window updated =
        windows.compute(
            key,
            (k, current) ->
                current == null || current.endsAtMillis() <= now
                    ? new Window(1, now + window.toMillis())
                    : new Window(current.count() + 1, current.endsAtMillis()));
    return Future.succeededFuture(counter(updated, now));
  }

  @Override
  public Future<Counter> peek(String key) {
    long now = clockMillis.getAsLong();
    Window current = windows.get(key);
    return Future.succeededFuture(
        current == null || current.endsAtMillis() <= now
            ? new Counter(0, 0)
            : counter(current, now));
  }

  @Override
  public Future<Void> extend(String key, Duration window) {
    long now = clockMillis.getAsLong();
    windows.computeIfPresent(key, (k, w) -> new Window(w.count(), now + window.toMillis()));
    return Future.succeededFuture();
  }

  @Override
  public Future<Void> reset(String key) {
    windows.remove(key);
    return Future.succeededFuture();
  }

  @Override
  public Future<Void> close() {
    windows.clear();
    return Future.succeededFuture();
  }

  private static Counter counter(Window window, long now) {
    return new Counter(window.count(), Math.max(1, (window.endsAtMillis() - now + 999) / 1000));
  }
}
