package dev.homelab.core.testing;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.LoggerFactory;

/**
 * Fails a test if Vert.x's blocked-thread checker reported anything while it ran: an event loop or
 * worker was blocked longer than {@link VertxTesting#options()} allows.
 *
 * <p>Use it with {@code @ExtendWith(BlockedThreadGuard.class)} on any class that runs Vert.x.
 */
public final class BlockedThreadGuard
    implements BeforeAllCallback, AfterEachCallback, AfterAllCallback {

  /** The logger Vert.x's checker reports to. */
  public static final String CHECKER_LOGGER = "io.vertx.core.impl.BlockedThreadChecker";

  private final Recorder recorder = new Recorder();

  @Override
  public void beforeAll(ExtensionContext context) {
    recorder.setContext(((Logger) LoggerFactory.getLogger(CHECKER_LOGGER)).getLoggerContext());
    recorder.start();
    ((Logger) LoggerFactory.getLogger(CHECKER_LOGGER)).addAppender(recorder);
  }

  @Override
  public void afterEach(ExtensionContext context) {
    List<String> reports = List.copyOf(recorder.reports);
    recorder.reports.clear();
    if (!reports.isEmpty()) {
      throw new AssertionError(
          "Vert.x reported a blocked thread during the test:\n" + String.join("\n", reports));
    }
  }

  @Override
  public void afterAll(ExtensionContext context) {
    ((Logger) LoggerFactory.getLogger(CHECKER_LOGGER)).detachAppender(recorder);
    recorder.stop();
    if (!recorder.reports.isEmpty()) {
      throw new AssertionError(
          "Vert.x reported a blocked thread:\n" + String.join("\n", recorder.reports));
    }
  }

  private static final class Recorder extends AppenderBase<ILoggingEvent> {
    final List<String> reports = new CopyOnWriteArrayList<>();

    @Override
    protected void append(ILoggingEvent event) {
      reports.add(event.getFormattedMessage());
    }
  }
}
