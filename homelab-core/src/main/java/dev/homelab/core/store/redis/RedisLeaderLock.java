package dev.homelab.core.store.redis;

import dev.homelab.core.leader.LeaderLock;
import io.vertx.core.Future;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import io.vertx.redis.client.Response;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

/**
 * A lock in Redis: a key whose value is this holder's random id, set with {@code SET key id NX PX
 * ttl}, extended by a script that sets its expiry only while the value is still this id, and
 * deleted by one that deletes it only then, so that a holder never extends or removes a lock that
 * expired and was taken by another. The leadership steps down when its lease runs out locally,
 * counted from when the last successful renewal was sent, which is never later than Redis expires
 * the key: two leaders overlap by clock drift at most (unless the key is deleted by hand).
 */
public final class RedisLeaderLock implements LeaderLock {

  // Idempotent: an acquire that arrives after its own caller gave up (and released) cannot take the
  // key behind everyone's back for longer than a renewal would; one already ours is extended.
  private static final String ACQUIRE =
      "if redis.call('GET', KEYS[1]) == ARGV[1] then "
          + "redis.call('PEXPIRE', KEYS[1], ARGV[2]) return 1 "
          + "elseif redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return 1 "
          + "else return 0 end";
  private static final String RENEW =
      "if redis.call('GET', KEYS[1]) == ARGV[1] then "
          + "return redis.call('PEXPIRE', KEYS[1], ARGV[2]) else return 0 end";
  private static final String RELEASE =
      "if redis.call('GET', KEYS[1]) == ARGV[1] then "
          + "return redis.call('DEL', KEYS[1]) else return 0 end";

  private final RedisAPI api;
  private final String name;
  private final String key;
  private final String id = UUID.randomUUID().toString();

  /**
   * @param redis the client; not closed by this lock
   * @param keyPrefix prepended to the key, such as {@code homelab:}
   * @param name the role, the rest of the key after {@code leader:}
   */
  public RedisLeaderLock(Redis redis, String keyPrefix, String name) {
    this.api = RedisAPI.api(redis);
    this.name = name;
    this.key = keyPrefix + "leader:" + name;
  }

  /**
   * @return the Redis key of the lock
   */
  public String key() {
    return key;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public Future<Boolean> acquire(Duration lease) {
    return api.eval(List.of(ACQUIRE, "1", key, id, Long.toString(lease.toMillis())))
        .map(RedisLeaderLock::isOne);
  }

  @Override
  public Future<Boolean> renew(Duration lease) {
    return api.eval(List.of(RENEW, "1", key, id, Long.toString(lease.toMillis())))
        .map(RedisLeaderLock::isOne);
  }

  @Override
  public Future<Void> release() {
    return api.eval(List.of(RELEASE, "1", key, id)).mapEmpty();
  }

  private static boolean isOne(Response reply) {
    return reply != null && reply.toLong() == 1;
  }

  @Override
  public String toString() {
    return "RedisLeaderLock{key=" + key + "}";
  }
}
