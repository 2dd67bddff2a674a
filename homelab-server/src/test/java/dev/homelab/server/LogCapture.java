package dev.homelab.server;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
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

  private final Capturing appender = new Capturing();

  private static Logger root() {
    return (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    appender.clear();
    appender.start();
    root().addAppender(appender);
  }

  @Override
  public void afterEach(ExtensionContext context) {
    root().detachAppender(appender);
    assertThat(appender.events())
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
    return appender.events().stream()
        .filter(event -> event.getLoggerName().equals(logger))
        .map(ILoggingEvent::getFormattedMessage)
        .toList();
  }

  /**
   * Waits for a line, for lines written after the test's last step (from a response's end handler,
   * say).
   *
   * @param logger a logger name
   * @param match what the line must satisfy
   * @param timeout how long to wait at most
   * @return the first matching line, or empty if none came in time
   */
  Optional<String> awaitLine(String logger, Predicate<String> match, Duration timeout)
      throws InterruptedException {
    return appender.await(
        event -> event.getLoggerName().equals(logger) && match.test(event.getFormattedMessage()),
        timeout);
  }

  /** Keeps the events and wakes whoever waits for one. */
  private static final class Capturing extends AppenderBase<ILoggingEvent> {
    private final List<ILoggingEvent> events = new ArrayList<>();

    @Override
    protected synchronized void append(ILoggingEvent event) {
      events.add(event);
      notifyAll();
    }

    synchronized void clear() {
      events.clear();
    }

    synchronized List<ILoggingEvent> events() {
      return List.copyOf(events);
    }

    synchronized Optional<String> await(Predicate<ILoggingEvent> match, Duration timeout)
        throws InterruptedException {
      long deadline = System.nanoTime() + timeout.toNanos();
      while (true) {
        for (ILoggingEvent event : events) {
          if (match.test(event)) {
            return Optional.of(event.getFormattedMessage());
          }
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return Optional.empty();
        }
        wait(Math.max(1, left / 1_000_000));
      }
    }
  }
}
