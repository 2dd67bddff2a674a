package dev.homelab.core.testing;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.vertx.core.Vertx;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Proves that the guard listens where Vert.x reports: a blocked event loop is seen. It blocks the
 * loop on purpose, so the guard, registered for every test, is told to let it pass.
 */
@BlockedThreadGuard.BlocksOnPurpose
class BlockedThreadGuardTest {

  @Test
  void aBlockedEventLoopIsReportedToTheGuardsLogger() throws Exception {
    Logger checker = (Logger) LoggerFactory.getLogger(BlockedThreadGuard.CHECKER_LOGGER);
    ListAppender<ILoggingEvent> reports = new ListAppender<>();
    reports.start();
    checker.addAppender(reports);
    Vertx vertx = VertxTesting.vertx();
    try {
      CountDownLatch blocked = new CountDownLatch(1);
      vertx.runOnContext(
          v -> {
            long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(800);
            while (System.nanoTime() < until) {
              Thread.onSpinWait(); // deliberately hog the event loop
            }
            blocked.countDown();
          });
      assertThat(blocked.await(10, TimeUnit.SECONDS)).isTrue();
      assertThat(reports.list).isNotEmpty();
      assertThat(reports.list.get(0).getFormattedMessage()).contains("blocked");
    } finally {
      checker.detachAppender(reports);
      VertxTesting.await(vertx.close());
    }
  }
}
