package dev.homelab.core.testing;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Vert.x settings for tests: the blocked-thread checker is strict (the event-loop limit comes from
 * the {@code homelab.test.maxEventLoopExecuteTimeMs} property, 200 ms in the build), so that any
 * blocking call on an event loop is reported, and {@link BlockedThreadGuard} turns a report into a
 * failure.
 */
public final class VertxTesting {

  /** How long a test waits for one asynchronous step. */
  public static final Duration STEP_TIMEOUT = Duration.ofSeconds(20);

  private VertxTesting() {}

  static {
    // The first pooled buffer registers Netty's JFR events, which takes a few hundred
    // milliseconds once per JVM: pay it here rather than on the first test's event loop.
    io.netty.buffer.ByteBufAllocator.DEFAULT.directBuffer(64).release();
    // Likewise the JDK's TLS stack (providers, the default context, a first engine): a few hundred
    // milliseconds on the first TLS client or server, which would otherwise be an event loop's.
    try {
      javax.net.ssl.SSLContext.getDefault().createSSLEngine().getSession();
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /**
   * @return Vert.x options with a strict blocked-thread checker
   */
  public static VertxOptions options() {
    long maxMs = Long.getLong("homelab.test.maxEventLoopExecuteTimeMs", 200);
    return new VertxOptions()
        .setMaxEventLoopExecuteTime(maxMs)
        .setMaxEventLoopExecuteTimeUnit(TimeUnit.MILLISECONDS)
        .setBlockedThreadCheckInterval(Math.max(50, maxMs / 2))
        .setBlockedThreadCheckIntervalUnit(TimeUnit.MILLISECONDS)
        // Log where the loop was stuck as soon as it counts as blocked.
        .setWarningExceptionTime(maxMs)
        .setWarningExceptionTimeUnit(TimeUnit.MILLISECONDS);
  }

  /**
   * @return a new Vert.x instance with {@link #options()}
   */
  public static Vertx vertx() {
    return Vertx.vertx(options());
  }

  /**
   * Waits on the test thread for a future, failing the test after {@link #STEP_TIMEOUT}.
   *
   * @param future the future to wait for
   * @param <T> the result type
   * @return the result
   */
  public static <T> T await(Future<T> future) {
    try {
      return future.await(STEP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new AssertionError("timed out after " + STEP_TIMEOUT + " waiting for a future", e);
    }
  }

  /**
   * Waits for a future that must fail and returns its failure.
   *
   * @param future the future to wait for
   * @return the failure
   */
  public static Throwable awaitFailure(Future<?> future) {
    try {
      future.await(STEP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new AssertionError("timed out after " + STEP_TIMEOUT + " waiting for a failure", e);
    } catch (Exception expected) { // await() rethrows checked causes too, such as BindException
      return future.cause();
    }
    throw new AssertionError("expected a failure, got " + future.result());
  }
}
