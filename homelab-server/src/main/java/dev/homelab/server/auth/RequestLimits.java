package dev.homelab.server.auth;

import dev.homelab.server.http.ErrorHandler.ApiException;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The request budgets and the login guard (seed 003): every client IP gets a budget per minute for
 * all of {@code /api} and a smaller one for the AI routes; logins are limited per IP, and an
 * account is locked for a while after repeated failures. Locking is by the name tried, whether or
 * not such a user exists, so that a lockout tells nothing and one account's lockout never touches
 * another's.
 */
public final class RequestLimits {

  private static final Logger log = LoggerFactory.getLogger(RequestLimits.class);
  private static final Duration MINUTE = Duration.ofMinutes(1);

  /** What the limits are. */
  public record Settings(
      int perMinute,
      int loginPerMinute,
      int aiPerMinute,
      int lockoutFailures,
      Duration lockoutDuration) {}

  private final RateLimiter limiter;
  private final ClientIp clientIp;
  private final Settings settings;
  private final AtomicBoolean storeAway = new AtomicBoolean();

  /**
   * @param limiter the counters
   * @param clientIp resolves client addresses
   * @param settings the limits
   */
  public RequestLimits(RateLimiter limiter, ClientIp clientIp, Settings settings) {
    this.limiter = limiter;
    this.clientIp = clientIp;
    this.settings = settings;
  }

  /**
   * @return the handler for every {@code /api} request
   */
  public Handler<RoutingContext> global() {
    return budget("api", settings.perMinute());
  }

  /**
   * @return the handler for the AI routes, on top of {@link #global()}
   */
  public Handler<RoutingContext> ai() {
    return budget("ai", settings.aiPerMinute());
  }

  private Handler<RoutingContext> budget(String name, int perMinute) {
    return ctx -> {
      String key = name + ":" + clientIp.of(ctx);
      // The counter is asynchronous: hold the body back until a later body handler can read it.
      ctx.request().pause();
      limiter
          .hit(key, MINUTE)
          .onSuccess(
              counter -> {
                storeAnswers();
                if (ctx.response().ended()) {
                  return; // answered meanwhile (the request timeout): nothing left to pass on
                }
                ctx.request().resume();
                if (counter.count() > perMinute) {
                  ctx.fail(tooMany(counter.retryAfterSeconds(), "too many requests"));
                } else {
                  ctx.next();
                }
              })
          .onFailure(
              failure -> {
                // A budget protects capacity, not accounts: when the counter store is down,
                // serve rather than refuse everything. Logins still fail closed.
                storeFailed("letting requests through", failure);
                if (!ctx.response().ended()) {
                  ctx.next();
                }
              });
    };
  }

  /**
   * Counts a login attempt from the request's client and checks the account's lockout.
   *
   * @param ctx the login request
   * @param account the name tried ({@code admin} for the access token)
   * @return completes if the attempt may be checked; fails with a 429 otherwise
   */
  public Future<Void> admitLogin(RoutingContext ctx, String account) {
    return limiter
        .hit("login-ip:" + clientIp.of(ctx), MINUTE)
        .compose(
            perIp -> {
              storeAnswers();
              if (perIp.count() > settings.loginPerMinute()) {
                return Future.failedFuture(
                    tooMany(
                        perIp.retryAfterSeconds(), "too many login attempts from this address"));
              }
              return limiter.peek(lockKey(account));
            })
        .compose(
            failures ->
                failures.count() >= settings.lockoutFailures()
                    ? Future.failedFuture(
                        tooMany(
                            failures.retryAfterSeconds(),
                            "too many failed logins for this account; try again later"))
                    : Future.<Void>succeededFuture())
        .recover(this::failClosed);
  }

  /**
   * Logins fail closed: without the counters (Redis away) brute force would be unlimited, so a
   * login is refused with 503 and {@code Retry-After} until they are back, never a 500. The request
   * budgets of everything else fail open ({@link #budget}).
   */
  private <T> Future<T> failClosed(Throwable failure) {
    if (failure instanceof ApiException) {
      return Future.failedFuture(failure);
    }
    storeFailed("refusing logins", failure);
    return Future.failedFuture(new LimitsUnavailableException());
  }

  /**
   * Logs the first failure of the counter store at WARN and the rest of an outage at DEBUG: one
   * line per request would flood the log while the store is away.
   */
  private void storeFailed(String consequence, Throwable failure) {
    if (storeAway.compareAndSet(false, true)) {
      log.warn("Rate limit store unavailable, {} until it answers: {}", consequence, why(failure));
    } else {
      log.debug("Rate limit store still unavailable, {}: {}", consequence, why(failure));
    }
  }

  private static String why(Throwable failure) {
    return failure.getMessage() != null ? failure.getMessage() : failure.getClass().getSimpleName();
  }

  private void storeAnswers() {
    if (storeAway.compareAndSet(true, false)) {
      log.info("Rate limit store answers again");
    }
  }

  /**
   * Records a failed login; the failure that reaches the threshold starts the lockout.
   *
   * @param account the name tried
   * @return completes when counted
   */
  public Future<Void> loginFailed(String account) {
    String key = lockKey(account);
    return limiter
        .hit(key, settings.lockoutDuration())
        .compose(
            counter ->
                counter.count() == settings.lockoutFailures()
                    ? limiter.extend(key, settings.lockoutDuration())
                    : Future.<Void>succeededFuture())
        .recover(this::failClosed);
  }

  /**
   * Clears the failure count of an account after a successful login.
   *
   * @param account the name
   * @return completes when cleared
   */
  public Future<Void> loginSucceeded(String account) {
    // The credentials were right: a counter that cannot be cleared now only delays a lockout
    // that the next successful login clears.
    return limiter
        .reset(lockKey(account))
        .recover(
            failure -> {
              storeFailed("a failed-login count that a login should clear stays", failure);
              return Future.succeededFuture();
            });
  }

  private static String lockKey(String account) {
    return "login-fail:" + account.toLowerCase(Locale.ROOT);
  }

  private static ApiException tooMany(long retryAfterSeconds, String detail) {
    return new RateLimitedException(retryAfterSeconds, detail);
  }

  /** A 429 that carries its {@code Retry-After}. */
  public static final class RateLimitedException extends ApiException {
    private final long retryAfterSeconds;

    /**
     * @param retryAfterSeconds the seconds the client should wait
     * @param detail a sentence for people
     */
    public RateLimitedException(long retryAfterSeconds, String detail) {
      super(429, "RATE_LIMITED", detail);
      this.retryAfterSeconds = retryAfterSeconds;
    }

    /**
     * @return the seconds the client should wait
     */
    public long retryAfterSeconds() {
      return retryAfterSeconds;
    }

    @Override
    protected void decorate(HttpServerResponse response) {
      response.putHeader("Retry-After", Long.toString(retryAfterSeconds));
    }
  }

  /** A 503: the counters that guard logins are unreachable (Redis away). */
  public static final class LimitsUnavailableException extends ApiException {

    /** Seconds a client should wait before it tries again. */
    static final long RETRY_AFTER_SECONDS = 5;

    /** Creates the refusal. */
    public LimitsUnavailableException() {
      super(
          503,
          "LOGIN_UNAVAILABLE",
          "logins are paused while the rate-limit store is unreachable; try again shortly");
    }

    @Override
    protected void decorate(HttpServerResponse response) {
      response.putHeader("Retry-After", Long.toString(RETRY_AFTER_SECONDS));
    }
  }
}
