package dev.homelab.core.store.postgres;

import dev.homelab.core.store.Storage;
import io.vertx.sqlclient.Pool;

/** Reaches the adapter's pool for checks the ports do not expose. */
public final class PostgresTestAccess {
  private PostgresTestAccess() {}

  public static Pool pool(Storage storage) {
    return ((PostgresStorage) storage).pool();
  }

  /** The advisory lock key of a leadership role. */
  public static long leaderKey(String name) {
    return PostgresLeaderLock.key(name);
  }

  /**
   * @return a bare lock of the role, as a leadership would campaign with
   */
  public static dev.homelab.core.leader.LeaderLock leaderLock(
      io.vertx.core.Vertx vertx, String uri, String name, java.time.Duration ttl) {
    return new PostgresLeaderLock(
        vertx, io.vertx.pgclient.PgConnectOptions.fromUri(uri), name, ttl);
  }
}
