package dev.homelab.server;

import dev.homelab.core.testing.Mosquitto;
import io.vertx.core.json.JsonArray;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * The lifecycle of a browser test class against a server bridged to the real Mosquitto: the class
 * starts {@link #browser} in its own {@code @BeforeAll} (its settings differ: subscriptions,
 * zigbee2mqtt's base topic), and notes in {@link #retained} each retained message it leaves on the
 * broker; they are cleared and the browser closed after the class. Each test must leave the
 * browser's console clean.
 */
abstract class BrokerBrowserTestBase {

  @TempDir static Path dir;
  static BrowserTesting browser;

  /** Topics holding a retained message this class published, cleared after it. */
  static final List<String> retained = new ArrayList<>();

  @AfterAll
  static void stopBrowserAndClearRetained() {
    retained.forEach(Mosquitto::clearRetained);
    retained.clear();
    if (browser != null) {
      browser.close();
      browser = null;
    }
  }

  @AfterEach
  void consoleIsClean() {
    browser.assertConsoleClean();
  }

  /** A text as a JSON string. */
  static String quoted(String text) {
    return new JsonArray().add(text).encode().replaceAll("^\\[|]$", "");
  }
}
