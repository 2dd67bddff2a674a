package dev.homelab.core.store;

import io.vertx.core.Future;

/**
 * What an open store says about itself, for health and status pages: its engine, whether it
 * answers, its size and schema version. Code that reports on the store gets this, not the
 * repositories.
 */
public interface StorageStatus {

  /**
   * @return the engine behind this store
   */
  StorageKind kind();

  /**
   * Checks that the database answers.
   *
   * @return a future completed when a trivial query succeeded, or failed with a {@link
   *     StorageException}
   */
  Future<Void> ping();

  /**
   * @return how many bytes the database takes on disk (SQLite: the file with its WAL; PostgreSQL:
   *     {@code pg_database_size} of the current database)
   */
  Future<Long> sizeBytes();

  /**
   * @return the schema version this store migrated to when it was opened
   */
  String schemaVersion();
}
