package dev.homelab.core.testing;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.lang.reflect.AnnotatedElement;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.LoggerFactory;

/**
 * Fails a test if Vert.x's blocked-thread checker reported anything while it ran: an event loop or
 * worker was blocked longer than {@link VertxTesting#options()} allows.
 *
 * <p>It is registered for every test of every module that has core's test-jar on its test classpath
 * ({@code META-INF/services/org.junit.jupiter.api.extension.Extension} here, and {@code
 * junit.jupiter.extensions.autodetection.enabled} set by the parent POM for surefire and failsafe).
 * An explicit {@code @ExtendWith(BlockedThreadGuard.class)} is harmless: JUnit registers an
 * extension type once. A test that blocks a thread on purpose says so with {@link BlocksOnPurpose}.
 */
public final class BlockedThreadGuard
    implements BeforeAllCallback, AfterEachCallback, AfterAllCallback {

  /** The logger Vert.x's checker reports to. */
  public static final String CHECKER_LOGGER = "io.vertx.core.impl.BlockedThreadChecker";

  /** The guard ignores what the checker reports while a test so marked (or its class) runs. */
  @Retention(RetentionPolicy.RUNTIME)
  @Target({ElementType.TYPE, ElementType.METHOD})
  public @interface BlocksOnPurpose {}

  /** How many {@link #ignoringReports} calls are running. */
  private static final AtomicInteger IGNORING = new AtomicInteger();

  private final Recorder recorder = new Recorder();

  /**
   * Runs something whose blocked-thread reports do not count, such as a test JVM's first, cold
   * start of a server: loading thousands of classes on an event loop takes a few hundred
   * milliseconds on a busy 2-CPU machine, and says nothing about the code under test. Every later
   * start in that JVM is checked as usual.
   *
   * @param action what to run
   */
  public static void ignoringReports(Runnable action) {
    IGNORING.incrementAndGet();
    try {
      action.run();
    } finally {
      IGNORING.decrementAndGet();
    }
  }

  /** Test classes (nested ones included) between their beforeAll and afterAll. */
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
    List<String> reports = List.copyOf(recorder.reports);
    recorder.reports.clear();
    if (!reports.isEmpty() && !onPurpose(context)) {
      throw new AssertionError(
          "Vert.x reported a blocked thread during the test:\n" + String.join("\n", reports));
    }
  }

  @Override
  public synchronized void afterAll(ExtensionContext context) {
    List<String> reports = List.copyOf(recorder.reports);
    recorder.reports.clear();
    if (--openClasses == 0) {
      ((Logger) LoggerFactory.getLogger(CHECKER_LOGGER)).detachAppender(recorder);
      recorder.stop();
    }
    if (!reports.isEmpty() && !onPurpose(context)) {
      throw new AssertionError("Vert.x reported a blocked thread:\n" + String.join("\n", reports));
    }
  }

  private static boolean onPurpose(ExtensionContext context) {
    for (Optional<ExtensionContext> c = Optional.of(context);
        c.isPresent();
        c = c.get().getParent()) {
      Optional<? extends AnnotatedElement> element = c.get().getElement();
      if (element.isPresent() && element.get().isAnnotationPresent(BlocksOnPurpose.class)) {
        return true;
      }
    }
    return false;
  }

  private static final class Recorder extends AppenderBase<ILoggingEvent> {
    final List<String> reports = new CopyOnWriteArrayList<>();

    @Override
    protected void append(ILoggingEvent event) {
      if (IGNORING.get() == 0) {
        reports.add(event.getFormattedMessage());
      }
    }
  }
}
