package dev.homelab.core.store.impl;

import dev.homelab.core.store.StorageException;
import dev.homelab.core.store.StorageKind;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the versioned SQL migrations of one dialect with Flyway, recording them in {@code
 * schema_version}. Blocking: call it from a worker thread.
 *
 * <p>Flyway takes a PostgreSQL advisory lock while it migrates, so instances starting together
 * apply each version exactly once; the others wait and then find nothing to do.
 */
public final class Migrations {

  /** The table that records applied migrations. */
  public static final String HISTORY_TABLE = "schema_version";

  private static final Logger log = LoggerFactory.getLogger(Migrations.class);

  private Migrations() {}

  /**
   * Applies every pending migration of the dialect.
   *
   * @param dataSource a data source for a role allowed to create tables
   * @param kind the dialect whose migrations to apply
   * @return the schema version after migrating
   * @throws StorageException if a migration fails; earlier versions stay applied
   */
  public static String migrate(DataSource dataSource, StorageKind kind) {
    try {
      Flyway flyway =
          Flyway.configure(Migrations.class.getClassLoader())
              .dataSource(dataSource)
              .locations("classpath:dev/homelab/core/store/migration/" + kind.label())
              .table(HISTORY_TABLE)
              .failOnMissingLocations(true)
              .validateMigrationNaming(true)
              .cleanDisabled(true)
              .load();
      MigrateResult result = flyway.migrate();
      if (result.migrationsExecuted > 0) {
        log.info(
            "Migrated the {} schema from version {} to {} ({} migrations)",
            kind.label(),
            result.initialSchemaVersion == null ? "none" : result.initialSchemaVersion,
            result.targetSchemaVersion,
            result.migrationsExecuted);
      }
      MigrationInfo current = flyway.info().current();
      return current == null ? "0" : current.getVersion().getVersion();
    } catch (FlywayException e) {
      throw new StorageException("database migration failed: " + firstLine(e.getMessage()), e);
    }
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "unknown error";
    }
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }
}
