package dev.homelab.server;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@link ControlCharacterContract} on SQLite. */
@Timeout(120)
class ControlCharacterTest extends ControlCharacterContract {

  @TempDir static Path dir;
  static ServerTesting lab;

  @BeforeAll
  static void start() {
    lab = ServerTesting.start(dir);
  }

  @AfterAll
  static void stop() {
    lab.close();
  }

  @Override
  ServerTesting lab() {
    return lab;
  }
}
