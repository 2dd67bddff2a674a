package dev.homelab.core.store.sqlite;

import dev.homelab.core.store.Storage;
import io.vertx.sqlclient.Pool;

/** Reaches the adapter's pool for checks the ports do not expose. */
public final class SqliteTestAccess {
  private SqliteTestAccess() {}

  public static Pool writer(Storage storage) {
    return ((SqliteStorage) storage).writer();
  }
}
