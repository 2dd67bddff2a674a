package dev.homelab.server.auth.impl;

import io.vertx.core.Future;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Supplier;

/**
 * A small cache of lookups made on every request (users, keys, revocations), each entry kept for a
 * fixed time. Absent values are cached too, as {@link Optional#empty()}. When full it is simply
 * cleared: entries are cheap to reload, and an attacker cycling ids cannot grow it without bound.
 *
 * @param <V> the cached value
 */
public final class TtlCache<V> {

  private record Entry<V>(Optional<V> value, long expiresAtNanos) {}

  private final ConcurrentMap<String, Entry<V>> entries = new ConcurrentHashMap<>();
  private final long ttlNanos;
  private final int maxEntries;

  /**
   * @param ttl how long an entry is used; zero disables caching
   * @param maxEntries the most entries kept
   */
  public TtlCache(Duration ttl, int maxEntries) {
    this.ttlNanos = ttl.toNanos();
    this.maxEntries = maxEntries;
  }

  /**
   * @param key the key
   * @param loader loads the value ({@code null} for absent) when it is not cached
   * @return the value, or {@code null}
   */
  public Future<V> get(String key, Supplier<Future<V>> loader) {
    long now = System.nanoTime();
    Entry<V> entry = entries.get(key);
    if (entry != null && now - entry.expiresAtNanos() < 0) {
      return Future.succeededFuture(entry.value().orElse(null));
    }
    return loader
        .get()
        .onSuccess(
            value -> {
              if (ttlNanos > 0) {
                if (entries.size() >= maxEntries) {
                  entries.clear();
                }
                entries.put(key, new Entry<>(Optional.ofNullable(value), now + ttlNanos));
              }
            });
  }

  /**
   * Forgets a key, so that the next lookup reads the store.
   *
   * @param key the key
   */
  public void invalidate(String key) {
    entries.remove(key);
  }

  /** Forgets every key. */
  public void clear() {
    entries.clear();
  }
}
