package dev.homelab.server;

import dev.homelab.core.testing.PostgresExtension;
import java.net.URI;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The restore drill on PostgreSQL: {@code pg_dump --format=custom} and {@code pg_restore}, with the
 * password of the url in the tools' environment, never printed.
 */
class BackupRestorePostgresIT extends RestoreDrillContract {

  @RegisterExtension static final PostgresExtension PG = new PostgresExtension();

  /** Trust authentication ignores it; it must still appear nowhere. */
  private static final String PASSWORD = "drill-pw-" + java.util.UUID.randomUUID();

  static {
    TestSecrets.remember(PASSWORD);
  }

  @Override
  Map<String, String> newDatabase(Path dataDir) {
    return Map.of("DATABASE_URL", PG.uriOf(PG.newDatabase(), "postgres:" + PASSWORD));
  }

  @Override
  Connection connect(Map<String, String> settings) throws SQLException {
    return PG.connect(URI.create(settings.get("DATABASE_URL")).getPath().substring(1));
  }

  @Override
  String schema() {
    return "public";
  }

  @Override
  String secret() {
    return PASSWORD;
  }
}
