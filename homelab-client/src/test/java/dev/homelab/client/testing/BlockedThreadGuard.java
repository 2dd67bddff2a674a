package dev.homelab.client.testing;

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
 * The client's copy of core's {@code dev.homelab.core.testing.BlockedThreadGuard}: fails a test if
 * Vert.x's blocked-thread checker reported anything while it ran. The client must not depend on
 * homelab-core, not even for tests, so it cannot use core's test-jar. Registered for every client
 * test through {@code META-INF/services/org.junit.jupiter.api.extension.Extension}.
 */
public final class BlockedThreadGuard
    implements BeforeAllCallback, AfterEachCallback, AfterAllCallback {

  private static final String CHECKER_LOGGER = "io.vertx.core.impl.BlockedThreadChecker";

  private final Recorder recorder = new Recorder();
  private int openClasses;

  @Override
  public synchronized void beforeAll(ExtensionContext context) {
    if (openClasses++ == 0) {
      Logger checker = (Logger) LoggerFactory.getLogger(CHECKER_LOGGER);
      recorder.setContext(checker.getLoggerContext());
      recorder.start();
      checker.addAppender(recorder);
    }
  }

  @Override
  public void afterEach(ExtensionContext context) {
    failOnReports();
  }

  @Override
  public synchronized void afterAll(ExtensionContext context) {
    if (--openClasses == 0) {
      ((Logger) LoggerFactory.getLogger(CHECKER_LOGGER)).detachAppender(recorder);
      recorder.stop();
    }
    failOnReports();
  }

  private void failOnReports() {
    List<String> reports = List.copyOf(recorder.reports);
    recorder.reports.clear();
    if (!reports.isEmpty()) {
      throw new AssertionError("Vert.x reported a blocked thread:\n" + String.join("\n", reports));
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
