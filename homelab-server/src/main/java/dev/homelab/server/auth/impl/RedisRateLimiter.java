package dev.homelab.server.auth.impl;

import dev.homelab.server.auth.RateLimiter;
import io.vertx.core.Future;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import io.vertx.redis.client.Response;
import java.time.Duration;
import java.util.List;

/**
 * Counters in Redis, shared by every instance and kept across restarts. Each operation is one Lua
 * script, so a hit and its expiry are atomic. The Redis client is the server's, which closes it.
 */
public final class RedisRateLimiter implements RateLimiter {

  private static final String HIT =
      "local c = redis.call('INCR', KEYS[1]) "
          + "local t = redis.call('PTTL', KEYS[1]) "
          + "if t < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) t = tonumber(ARGV[1]) end "
          + "return {c, t}";
  private static final String PEEK =
      "local c = redis.call('GET', KEYS[1]) "
          + "if not c then return {0, 0} end "
          + "return {tonumber(c), redis.call('PTTL', KEYS[1])}";

  private final RedisAPI api;
  private final String prefix;

  /**
   * @param redis a client that answered a ping; not closed by this limiter
   * @param prefix prepended to every key, so that several deployments can share a server
   */
  public RedisRateLimiter(Redis redis, String prefix) {
    this.api = RedisAPI.api(redis);
    this.prefix = prefix;
  }

  @Override
  public Future<Counter> hit(String key, Duration window) {
    return api.eval(List.of(HIT, "1", prefix + key, Long.toString(window.toMillis())))
        .map(RedisRateLimiter::counter);
  }

  @Override
  public Future<Counter> peek(String key) {
    return api.eval(List.of(PEEK, "1", prefix + key)).map(RedisRateLimiter::counter);
  }

  @Override
  public Future<Void> extend(String key, Duration window) {
    return api.pexpire(List.of(prefix + key, Long.toString(window.toMillis()))).mapEmpty();
  }

  @Override
  public Future<Void> reset(String key) {
    return api.del(List.of(prefix + key)).mapEmpty();
  }

  @Override
  public Future<Void> close() {
    return Future.succeededFuture();
  }

  private static Counter counter(Response response) {
    long count = response.get(0).toLong();
    long ttlMillis = response.get(1).toLong();
    return count == 0
        ? new Counter(0, 0)
        : new Counter(count, Math.max(1, (ttlMillis + 999) / 1000));
  }
}
