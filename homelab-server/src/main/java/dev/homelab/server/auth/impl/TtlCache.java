package dev.homelab.server.auth.impl;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * A small cache of lookups made on every request (users, keys, revocations), each entry kept for a
 * fixed time. Absent values ({@code null}) are cached too. When full it is simply cleared: entries
 * are cheap to reload, and an attacker cycling ids cannot grow it without bound.
 *
 * <p>One load per key at a time: requests that miss while a key is loading wait for that load
 * instead of starting their own. Without that, every request in flight when a hot entry expired
 * read the store itself, each read slowing the others: at thousands of requests a second, the
 * expiry of the one user and token a reader uses stalled its checks once per {@code
 * AUTH_CACHE_SECONDS}.
 *
 * <p>A hot key is reloaded in the background when it is used in the last fifth of its time, and
 * served meanwhile, so its requests never wait for the store; what they get is still never older
 * than the ttl.
 *
 * <p>A key invalidated while it loads is not stored when the load ends: the load may have read the
 * store before the change that invalidated it.
 *
 * @param <V> the cached value
 */
public final class TtlCache<V> {

  /**
   * A loaded value until it expires, reloaded in the background once used after {@code
   * refreshAtNanos} ({@code refreshing} while that runs); or a load in flight ({@code loading}),
   * which later requests join until it too expires, so that a read that hangs holds up its key for
   * one ttl at most. A class, not a record: the map's replace and remove must match this very
   * entry, never an equal one.
   */
  private static final class Entry<V> {
    final Future<V> value;
    final long refreshAtNanos;
    final long expiresAtNanos;
    final boolean loading;
    final boolean refreshing;

    private Entry(
        Future<V> value,
        long refreshAtNanos,
        long expiresAtNanos,
        boolean loading,
        boolean refreshing) {
      this.value = value;
      this.refreshAtNanos = refreshAtNanos;
      this.expiresAtNanos = expiresAtNanos;
      this.loading = loading;
      this.refreshing = refreshing;
    }

    static <V> Entry<V> loading(Future<V> value, long startedAtNanos, long ttlNanos) {
      return new Entry<>(value, startedAtNanos, startedAtNanos + ttlNanos, true, false);
    }

    static <V> Entry<V> loaded(V value, long loadedAtNanos, long ttlNanos) {
      return new Entry<>(
          Future.succeededFuture(value),
          loadedAtNanos + ttlNanos - ttlNanos / 5,
          loadedAtNanos + ttlNanos,
          false,
          false);
    }

    Entry<V> refreshing() {
      return new Entry<>(value, refreshAtNanos, expiresAtNanos, false, true);
    }

    boolean usableAt(long now) {
      return now - expiresAtNanos < 0;
    }

    boolean dueForRefreshAt(long now) {
      return !loading && !refreshing && now - refreshAtNanos >= 0;
    }
  }

  private final ConcurrentMap<String, Entry<V>> entries = new ConcurrentHashMap<>();
  private final long ttlNanos;
  private final int maxEntries;
  private final LongSupplier nanoTime;

  /**
   * @param ttl how long an entry is used; zero disables caching
   * @param maxEntries the most entries kept
   */
  public TtlCache(Duration ttl, int maxEntries) {
    this(ttl, maxEntries, System::nanoTime);
  }

  /** For tests: with a clock of their own, in nanoseconds. */
  TtlCache(Duration ttl, int maxEntries, LongSupplier nanoTime) {
    this.ttlNanos = ttl.toNanos();
    this.maxEntries = maxEntries;
    this.nanoTime = nanoTime;
  }

  /**
   * @param key the key
   * @param loader loads the value ({@code null} for absent) when it is neither cached nor loading
   * @return the value, or {@code null}
   */
  public Future<V> get(String key, Supplier<Future<V>> loader) {
    if (ttlNanos <= 0) {
      return load(loader);
    }
    long now = nanoTime.getAsLong();
    Entry<V> cached = entries.get(key);
    if (cached != null && cached.usableAt(now)) {
      if (cached.dueForRefreshAt(now)) {
        refresh(key, cached, loader, now);
      }
      return cached.loading ? onCallersContext(cached.value) : cached.value;
    }
    Promise<V> promise = Promise.promise();
    Entry<V> mine = Entry.loading(promise.future(), now, ttlNanos);
    Entry<V> winner =
        entries.compute(
            key, (k, current) -> current != null && current.usableAt(now) ? current : mine);
    if (winner != mine) {
      return winner.loading ? onCallersContext(winner.value) : winner.value;
    }
    if (entries.size() > maxEntries) {
      entries.clear(); // the load below then simply stores nothing
    }
    load(loader)
        .onComplete(
            result -> {
              if (result.succeeded()) {
                // Stored only if still ours: not invalidated, cleared or replaced meanwhile.
                entries.replace(key, mine, Entry.loaded(result.result(), now, ttlNanos));
              } else {
                entries.remove(key, mine); // failures are not cached: the next request retries
              }
              promise.handle(result);
            });
    return promise.future();
  }

  /**
   * Reloads a hot entry in its last fifth while it is still served, so that a key used all the time
   * never expires under its requests: none of them waits for the store. What is served is still
   * never older than the ttl; an entry whose refresh is slower than its last fifth expires and is
   * loaded as usual.
   */
  private void refresh(String key, Entry<V> cached, Supplier<Future<V>> loader, long now) {
    Entry<V> refreshing = cached.refreshing();
    if (!entries.replace(key, cached, refreshing)) {
      return; // another request started it, or the key changed
    }
    load(loader)
        .onComplete(
            result ->
                // Stored only if still ours: an invalidated key stays forgotten. A failure leaves
                // the entry to expire, and the next request after this one tries again.
                entries.replace(
                    key,
                    refreshing,
                    result.succeeded() ? Entry.loaded(result.result(), now, ttlNanos) : cached));
  }

  /**
   * Another request's load, answered on this caller's context: the load completes on the context of
   * the request that started it, which may be another event loop.
   */
  private static <V> Future<V> onCallersContext(Future<V> shared) {
    Context caller = Vertx.currentContext();
    if (caller == null) {
      return shared;
    }
    Promise<V> promise = Promise.promise();
    shared.onComplete(
        result -> {
          if (Vertx.currentContext() == caller) {
            promise.handle(result);
          } else {
            caller.runOnContext(v -> promise.handle(result));
          }
        });
    return promise.future();
  }

  /**
   * The loader's future; whatever it throws, or a null future, as a failed one: an entry waiting
   * for a load must always see it end.
   */
  private static <V> Future<V> load(Supplier<Future<V>> loader) {
    try {
      Future<V> loaded = loader.get();
      return loaded != null
          ? loaded
          : Future.failedFuture(new IllegalStateException("the loader returned no future"));
    } catch (Throwable e) { // an Error too must fail the lookup, not strand its waiters
      return Future.failedFuture(e);
    }
  }

  /**
   * Forgets a key, so that the next lookup reads the store; a load of it in flight is not stored.
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
