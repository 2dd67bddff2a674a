package dev.homelab.server;

import dev.homelab.core.testing.PostgresExtension;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@link ControlCharacterContract} on PostgreSQL, which cannot store U+0000 at all. */
@Timeout(120)
class ControlCharacterPostgresIT extends ControlCharacterContract {

  @RegisterExtension static final PostgresExtension PG = new PostgresExtension();
  @TempDir static Path dir;
  static ServerTesting lab;

  @BeforeAll
  static void start() {
    lab = ServerTesting.start(dir, Map.of("DATABASE_URL", PG.uri()));
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
