package dev.homelab.core.store.sqlite;

import dev.homelab.core.store.Storage;
import dev.homelab.core.store.StorageKind;
import dev.homelab.core.store.StorageOptions;
import dev.homelab.core.store.impl.ClassPath;
import dev.homelab.core.store.spi.StorageProvider;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/** Registers the SQLite adapter with {@link java.util.ServiceLoader}. */
public final class SqliteStorageProvider implements StorageProvider {

  @Override
  public StorageKind kind() {
    return StorageKind.SQLITE;
  }

  @Override
  public boolean isAvailable() {
    return ClassPath.hasAll(
        "org.sqlite.JDBC", "io.vertx.jdbcclient.JDBCPool", "org.flywaydb.core.Flyway");
  }

  @Override
  public String requiredDependencies() {
    return "org.xerial:sqlite-jdbc, io.vertx:vertx-jdbc-client and org.flywaydb:flyway-core";
  }

  @Override
  public void prepare() {
    SqliteStorage.prepare();
  }

  @Override
  public Future<Storage> open(Vertx vertx, StorageOptions options) {
    return SqliteStorage.open(vertx, options);
  }
}
