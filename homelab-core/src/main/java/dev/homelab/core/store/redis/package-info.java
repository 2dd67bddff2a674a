/**
 * The Redis adapter of core: {@link dev.homelab.core.store.redis.RedisLeaderLock}, the leader lock
 * of instances that share a Redis, beside the PostgreSQL advisory lock of {@code store.postgres}.
 * It needs {@code io.vertx:vertx-redis-client}, an optional dependency of core.
 */
package dev.homelab.core.store.redis;
