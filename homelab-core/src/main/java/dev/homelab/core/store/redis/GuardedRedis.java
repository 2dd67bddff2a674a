package dev.homelab.core.store.redis;

import io.vertx.circuitbreaker.CircuitBreaker;
import io.vertx.circuitbreaker.CircuitBreakerOptions;
import io.vertx.circuitbreaker.OpenCircuitException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxException;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Redis client that stops knocking while Redis is away. The pooled client of {@code
 * vertx-redis-client} opens a connection for every command that finds none, so with Redis down
 * every request that needs it (a login, a rate-limit check, a leader renewal) is one more
 * connection attempt: a storm that grows with the traffic, and that meets a restarting Redis all at
 * once. Here a circuit breaker opens after {@value #FAILURES} failures of the transport within ten
 * seconds (a refused, dropped or timed-out connection, a command unanswered within its timeout, a
 * Redis still loading its data or refusing the credentials), commands then fail at once with a
 * {@link RedisUnavailableException} without touching the network, and after {@code retryAfter} one
 * command goes through as a probe: its success closes the breaker, its failure keeps it open for
 * another period. Connection attempts while Redis is away are so bounded by time (about one per
 * period), whatever the traffic.
 *
 * <p>Failures that say nothing about Redis being there leave the breaker alone: an error reply (a
 * script error, a wrong type), and the client's own refusals (its pool's waiting queue is full, a
 * command it does not allow on a pooled connection). Every command is bounded by {@code
 * commandTimeout}, so a probe that hangs (a Redis that stopped answering) cannot keep the breaker
 * half open; give the client a connect timeout of its own too ({@code
 * RedisOptions.setNetClientOptions}), or commands wait in its pool behind a hanging connect.
 *
 * <p>{@link #connect()} is guarded when called, but the connection it returns is the client's own:
 * its failures do not reach the breaker. Needs {@code io.vertx:vertx-circuit-breaker}, an optional
 * dependency of core, as the upstream clients do.
 */
public final class GuardedRedis implements Redis {

  private static final Logger LOG = LoggerFactory.getLogger(GuardedRedis.class);

  /** Transport failures within ten seconds that open the breaker. */
  public static final int FAILURES = 3;

  /** How long a command may take by default before it counts as a failure of the transport. */
  public static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(5);

  private final Redis delegate;
  private final CircuitBreaker breaker;
  private final Duration retryAfter;
  private final AtomicBoolean away = new AtomicBoolean();

  /**
   * A guard whose commands time out after {@link #COMMAND_TIMEOUT}.
   *
   * @param vertx the Vert.x of the client
   * @param delegate the client to guard; closed by {@link #close()}
   * @param retryAfter how long commands fail at once after a failed connection before one is tried
   */
  public GuardedRedis(Vertx vertx, Redis delegate, Duration retryAfter) {
    this(vertx, delegate, retryAfter, COMMAND_TIMEOUT);
  }

  /**
   * @param vertx the Vert.x of the client
   * @param delegate the client to guard; closed by {@link #close()}
   * @param retryAfter how long commands fail at once after a failed connection before one is tried
   * @param commandTimeout how long a command may take; no blocking command fits in it
   */
  public GuardedRedis(Vertx vertx, Redis delegate, Duration retryAfter, Duration commandTimeout) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
    this.retryAfter = Objects.requireNonNull(retryAfter, "retryAfter");
    this.breaker =
        CircuitBreaker.create(
                "redis",
                vertx,
                new CircuitBreakerOptions()
                    .setMaxFailures(FAILURES)
                    .setFailuresRollingWindow(10_000)
                    .setResetTimeout(Math.max(1, retryAfter.toMillis()))
                    // vertx-redis-client has no timeout of its own for a command
                    .setTimeout(Math.max(1, commandTimeout.toMillis()))
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
    for (Throwable cause = outcome.cause(); cause != null; cause = cause.getCause()) {
      if (cause instanceof Response) {
        // An error reply, or how the client hands over a connection that went: CONNECTION_CLOSED
        // (inside "ERR [n] ..." for a batch) or the IOException's text. LOADING, NOAUTH and
        // WRONGPASS come from a Redis that cannot serve: away too.
        String reply = String.valueOf(cause.getMessage());
        return reply.contains("CONNECTION_CLOSED")
            || reply.startsWith("LOADING")
            || reply.startsWith("NOAUTH")
            || reply.startsWith("WRONGPASS")
            || (reply.startsWith("ERR [") && reply.contains("Exception"));
      }
      if (cause instanceof IOException // refused, reset, closed channel, connect timeout
          || cause instanceof io.vertx.circuitbreaker.TimeoutException // the command's timeout
          || cause instanceof TimeoutException
          || isClosedConnection(cause)) {
        return true;
      }
    }
    return false; // the client's own refusal (pool queue full, a command it does not allow)
  }

  private static boolean isClosedConnection(Throwable cause) {
    // Vert.x's "Connection was closed", a VertxException without a type of its own.
    String message = cause.getMessage();
    return cause instanceof VertxException
        && message != null
        && message.toLowerCase(Locale.ROOT).contains("closed");
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
