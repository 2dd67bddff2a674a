package dev.homelab.server;

import dev.homelab.core.testing.PostgresExtension;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Reliability row L2 on PostgreSQL: {@link ConcurrentIsolationTest}'s two users and 32 clients
 * against a server whose store is a database of its own on the real PostgreSQL, where reads and
 * writes run on a pool of connections rather than SQLite's one writer; the reconciler's final
 * cross-check reads that database.
 */
class ConcurrentIsolationPostgresIT extends ConcurrentIsolationTest {

  @RegisterExtension static final PostgresExtension PG = new PostgresExtension();
  private String databaseName;

  @Override
  Map<String, String> settings() {
    databaseName = PG.newDatabase();
    return Map.of("DATABASE_URL", PG.uriOf(databaseName));
  }

  /** The row's 30 s run on SQLite; here a shorter one, the suite's time being bounded. */
  @Override
  long defaultSeconds() {
    return 5;
  }

  @Override
  Connection database() throws SQLException {
    return PG.connect(databaseName);
  }
}
