package dev.homelab.core.store.redis;

import io.vertx.circuitbreaker.CircuitBreaker;
import io.vertx.circuitbreaker.CircuitBreakerOptions;
import io.vertx.circuitbreaker.OpenCircuitException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Redis client that stops knocking while Redis is away. The pooled client of {@code
 * vertx-redis-client} opens a connection for every command that finds none, so with Redis down
 * every request that needs it (a login, a rate-limit check, a leader renewal) is one more
 * connection attempt: a storm that grows with the traffic, and that meets a restarting Redis all at
 * once. Here a circuit breaker opens at the first failure that is not a reply of Redis (a refused
 * or dropped connection, a timeout), commands then fail at once with a {@link
 * RedisUnavailableException} without touching the network, and after {@code retryAfter} one command
 * goes through as a probe: its success closes the breaker, its failure keeps it open for another
 * period. Connection attempts while Redis is away are so bounded by time (about one per period),
 * whatever the traffic.
 *
 * <p>An error reply of Redis (a script error, a wrong type) is not a failure of the connection and
 * leaves the breaker alone; a Redis still loading its data is away. Needs {@code
 * io.vertx:vertx-circuit-breaker}, an optional dependency of core, as the upstream clients do.
 */
public final class GuardedRedis implements Redis {

  private static final Logger LOG = LoggerFactory.getLogger(GuardedRedis.class);

  private final Redis delegate;
  private final CircuitBreaker breaker;
  private final Duration retryAfter;
  private final AtomicBoolean away = new AtomicBoolean();

  /**
   * @param vertx the Vert.x of the client
   * @param delegate the client to guard; closed by {@link #close()}
   * @param retryAfter how long commands fail at once after a failed connection before one is tried
   */
  public GuardedRedis(Vertx vertx, Redis delegate, Duration retryAfter) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
    this.retryAfter = Objects.requireNonNull(retryAfter, "retryAfter");
    this.breaker =
        CircuitBreaker.create(
                "redis",
                vertx,
                new CircuitBreakerOptions()
                    .setMaxFailures(1)
                    .setResetTimeout(Math.max(1, retryAfter.toMillis()))
                    .setTimeout(-1) // the client bounds its own commands
                    .setFallbackOnFailure(false)
                    // No event-bus notifications: they cost a periodic timer per breaker.
                    .setNotificationAddress(null))
            .failurePolicy(GuardedRedis::isConnectionFailure);
    // One line when Redis goes away and one when it is back; a probe that fails reopens quietly.
    breaker.openHandler(
        v -> {
          if (away.compareAndSet(false, true)) {
            LOG.warn(
                "Redis is unreachable; commands fail at once and one is tried every {} ms",
                retryAfter.toMillis());
          }
        });
    breaker.closeHandler(
        v -> {
          if (away.compareAndSet(true, false)) {
            LOG.info("Redis answers again");
          }
        });
  }

  /**
   * @return whether commands fail at once now, Redis having been found away
   */
  public boolean failingFast() {
    return switch (breaker.state()) {
      case OPEN, HALF_OPEN -> true;
      case CLOSED -> false;
    };
  }

  @Override
  public Future<RedisConnection> connect() {
    return guarded(delegate::connect);
  }

  @Override
  public Future<Response> send(Request command) {
    return guarded(() -> delegate.send(command));
  }

  @Override
  public Future<List<Response>> batch(List<Request> commands) {
    return guarded(() -> delegate.batch(commands));
  }

  @Override
  public Future<Void> close() {
    breaker.close();
    return delegate.close();
  }

  private <T> Future<T> guarded(Supplier<Future<T>> command) {
    return breaker
        .execute(command)
        .recover(
            failure ->
                Future.failedFuture(
                    failure instanceof OpenCircuitException
                        ? new RedisUnavailableException(retryAfter)
                        : failure));
  }

  private static boolean isConnectionFailure(Future<?> outcome) {
    if (outcome.succeeded()) {
      return false;
    }
    Throwable cause = outcome.cause();
    // The client fails a command with an error reply as a Response: Redis answered, unless it is
    // the client's own CONNECTION_CLOSED (the connection went) or Redis still LOADING its data.
    if (cause instanceof Response) {
      String reply = String.valueOf(cause.getMessage());
      return reply.startsWith("CONNECTION_CLOSED") || reply.startsWith("LOADING");
    }
    return true;
  }

  /** What a command gets, without being sent, while Redis is taken to be away. */
  public static final class RedisUnavailableException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    RedisUnavailableException(Duration retryAfter) {
      super(
          "Redis is unavailable: its last connection failed; a command is tried again every "
              + retryAfter.toMillis()
              + " ms",
          null,
          false,
          false);
    }
  }
}
