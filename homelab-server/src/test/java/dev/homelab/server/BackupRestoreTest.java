package dev.homelab.server;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Map;

/** The restore drill on SQLite: a {@code VACUUM INTO} copy, taken while the server writes. */
class BackupRestoreTest extends RestoreDrillContract {

  @Override
  Map<String, String> newDatabase(Path dataDir) {
    return Map.of(); // the default: DATA_DIR/homelab.db
  }

  @Override
  Connection connect(Map<String, String> settings) throws SQLException {
    return DriverManager.getConnection(
        "jdbc:sqlite:" + Path.of(settings.get("DATA_DIR")).resolve("homelab.db"));
  }

  @Override
  String schema() {
    return null;
  }
}
