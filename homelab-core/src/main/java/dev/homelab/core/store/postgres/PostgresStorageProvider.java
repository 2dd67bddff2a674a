package dev.homelab.core.store.postgres;

import dev.homelab.core.store.Storage;
import dev.homelab.core.store.StorageKind;
import dev.homelab.core.store.StorageOptions;
import dev.homelab.core.store.impl.ClassPath;
import dev.homelab.core.store.impl.Migrations;
import dev.homelab.core.store.spi.StorageProvider;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/** Registers the PostgreSQL adapter with {@link java.util.ServiceLoader}. */
public final class PostgresStorageProvider implements StorageProvider {

  @Override
  public StorageKind kind() {
    return StorageKind.POSTGRESQL;
  }

  @Override
  public boolean isAvailable() {
    return ClassPath.hasAll(
        "io.vertx.pgclient.PgBuilder",
        "org.postgresql.Driver",
        "org.flywaydb.core.Flyway",
        "org.flywaydb.database.postgresql.PostgreSQLDatabaseType");
  }

  @Override
  public String requiredDependencies() {
    return "io.vertx:vertx-pg-client, org.postgresql:postgresql, org.flywaydb:flyway-core and"
        + " org.flywaydb:flyway-database-postgresql";
  }

  @Override
  public void prepare() {
    Migrations.prepare(StorageKind.POSTGRESQL);
  }

  @Override
  public Future<Storage> open(Vertx vertx, StorageOptions options) {
    return PostgresStorage.open(vertx, options);
  }
}
