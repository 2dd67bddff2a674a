package dev.homelab.server.features;

import dev.homelab.core.store.redis.GuardedRedis;
import io.vertx.core.Future;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import io.vertx.redis.client.RedisOptions;
import java.time.Duration;
import java.util.List;

/**
 * The Redis client of {@code REDIS_URL}, shared by the rate limits and the leadership; nothing
 * without a url.
 */
public final class RedisFeature implements Feature {

  /** How long Redis is left alone after a failed connection before one command tries again. */
  static final Duration RETRY = Duration.ofSeconds(1);

  /** Milliseconds a connection to Redis may take to open. */
  static final int CONNECT_TIMEOUT = 2_000;

  private final ServerContext context;
  private Redis redis;

  /**
   * @param context the server's context
   */
  public RedisFeature(ServerContext context) {
    this.context = context;
  }

  @Override
  public String name() {
    return "redis";
  }

  @Override
  public Future<Void> start(CloseStack opened) {
    String url = context.config().redisUrl();
    if (url == null) {
      return Future.succeededFuture();
    }
    RedisOptions options = new RedisOptions().setConnectionString(url);
    // The client's default is a minute: commands would queue behind a hung connect.
    options.getNetClientOptions().setConnectTimeout(CONNECT_TIMEOUT);
    // Guarded: while Redis is away, about one connection attempt per RETRY, not one per request.
    Redis client =
        new GuardedRedis(
            context.vertx(),
            Redis.createClient(context.vertx(), options),
            RETRY,
            commandTimeout(context.config().requestTimeoutSeconds()));
    opened.push("the Redis client", client::close);
    return RedisAPI.api(client)
        .ping(List.of())
        .map(
            pong -> {
              redis = client;
              return (Void) null;
            })
        .recover(
            failure ->
                Future.failedFuture(
                    new IllegalStateException(
                        "Redis at REDIS_URL does not answer: " + failure.getMessage())));
  }

  /**
   * A Redis that stops answering (a network partition: nothing is refused, nothing comes back) must
   * fail its command well within the request that waits on it, so that a login is refused by its
   * own rule (503 {@code LOGIN_UNAVAILABLE}, with {@code Retry-After}) and a request budget lets
   * the request through, instead of the request timeout answering a bare 503 for both. A login
   * waits on two commands in turn (its request budget, then its own counter): both fit in half the
   * request timeout.
   *
   * @param requestTimeoutSeconds {@code REQUEST_TIMEOUT_SECONDS}
   * @return {@link GuardedRedis#COMMAND_TIMEOUT}, or a quarter of the request timeout when shorter
   */
  static Duration commandTimeout(int requestTimeoutSeconds) {
    Duration quarter = Duration.ofSeconds(requestTimeoutSeconds).dividedBy(4);
    return quarter.compareTo(GuardedRedis.COMMAND_TIMEOUT) < 0
        ? quarter
        : GuardedRedis.COMMAND_TIMEOUT;
  }

  /**
   * @return the client once Redis answered a ping, or {@code null} without {@code REDIS_URL}
   */
  public Redis redis() {
    return redis;
  }
}
