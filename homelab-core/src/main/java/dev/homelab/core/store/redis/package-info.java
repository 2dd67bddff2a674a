/**
 * The Redis adapter of core: {@link dev.homelab.core.store.redis.RedisLeaderLock}, the leader lock
 * of instances that share a Redis, beside the PostgreSQL advisory lock of {@code store.postgres},
 * and {@link dev.homelab.core.store.redis.GuardedRedis}, a client that does not flood a Redis that
 * is away with connection attempts. It needs {@code io.vertx:vertx-redis-client}, an optional
 * dependency of core (and the guard {@code io.vertx:vertx-circuit-breaker}).
 */
package dev.homelab.core.store.redis;
