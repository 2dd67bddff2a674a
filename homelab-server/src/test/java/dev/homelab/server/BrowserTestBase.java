package dev.homelab.server;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * The lifecycle of a browser test class: one {@link BrowserTesting} for the class, shared by its
 * tests, each of which must leave the browser's console clean. The host monitor samples every
 * second, so that live figures show within the tests' waits.
 */
abstract class BrowserTestBase {

  @TempDir static Path dir;
  static BrowserTesting browser;

  @BeforeAll
  static void startBrowser() {
    browser = BrowserTesting.start(dir, Map.of("METRICS_INTERVAL_HOST", "1"));
  }

  @AfterAll
  static void stopBrowser() {
    if (browser != null) {
      browser.close();
      browser = null;
    }
  }

  @AfterEach
  void consoleIsClean() {
    browser.assertConsoleClean();
  }
}
