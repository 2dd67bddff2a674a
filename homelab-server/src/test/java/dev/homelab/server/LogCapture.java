package dev.homelab.server;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.LoggerFactory;

/**
 * Captures every log line of each test and fails the test if any was an ERROR: bad input from a
 * client must be answered, not logged as a failure of the server.
 *
 * <pre>{@code @RegisterExtension final LogCapture logs = new LogCapture();}</pre>
 */
final class LogCapture implements BeforeEachCallback, AfterEachCallback {

  private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

  private static Logger root() {
    return (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    appender.list.clear();
    appender.start();
    root().addAppender(appender);
  }

  @Override
  public void afterEach(ExtensionContext context) {
    root().detachAppender(appender);
    assertThat(appender.list)
        .as("ERROR log lines")
        .filteredOn(event -> event.getLevel().isGreaterOrEqual(Level.ERROR))
        .extracting(ILoggingEvent::getFormattedMessage)
        .isEmpty();
  }

  /**
   * @param logger a logger name
   * @return the formatted lines logged to it so far in this test
   */
  List<String> linesOf(String logger) {
    return appender.list.stream()
        .filter(event -> event.getLoggerName().equals(logger))
        .map(ILoggingEvent::getFormattedMessage)
        .toList();
  }
}
