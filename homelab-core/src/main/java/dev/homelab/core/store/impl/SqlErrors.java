package dev.homelab.core.store.impl;

import dev.homelab.core.HomelabException;
import dev.homelab.core.store.StorageException;
import io.vertx.sqlclient.ClosedConnectionException;
import io.vertx.sqlclient.DatabaseException;
import io.vertx.sqlclient.TransactionRollbackException;
import java.net.SocketException;
import java.sql.SQLException;

/** Turns driver failures into {@link StorageException}s without SQL text in the message. */
public final class SqlErrors {

  private SqlErrors() {}

  /**
   * Wraps a driver failure.
   *
   * @param operation what was being done, for example {@code "read setting"}
   * @param failure the driver's exception
   * @return a storage exception keeping the SQLSTATE and error code
   */
  public static StorageException wrap(String operation, Throwable failure) {
    if (failure instanceof StorageException storage) {
      return storage;
    }
    if (failure instanceof DatabaseException db) {
      return new StorageException(
          operation + " failed (SQLSTATE " + db.getSqlState() + ")",
          db.getSqlState(),
          db.getErrorCode(),
          failure);
    }
    if (failure instanceof SQLException sql) {
      return new StorageException(
          operation + " failed (SQLSTATE " + sql.getSQLState() + ")",
          sql.getSQLState(),
          sql.getErrorCode(),
          failure);
    }
    return new StorageException(operation + " failed: database unavailable", failure);
  }

  /**
   * @param failure any failure of work on the database
   * @return whether the driver or its pool raised it (a statement, a commit, a connection that
   *     could not be opened or was lost), as opposed to the work's own code
   */
  public static boolean fromDriver(Throwable failure) {
    if (failure instanceof HomelabException) {
      return false; // already a domain failure (a StorageException included)
    }
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (cause instanceof DatabaseException
          || cause instanceof SQLException
          || cause instanceof ClosedConnectionException
          || cause instanceof TransactionRollbackException
          || cause instanceof SocketException) { // refused or reset
        return true;
      }
    }
    return false;
  }

  /**
   * @param failure a wrapped driver failure
   * @return whether it is a unique-constraint violation, on either engine
   */
  public static boolean isUniqueViolation(StorageException failure) {
    if ("23505".equals(failure.sqlState())) {
      return true; // PostgreSQL unique_violation
    }
    // SQLite: SQLITE_CONSTRAINT (19) or its extended SQLITE_CONSTRAINT_UNIQUE / PRIMARYKEY codes.
    int code = failure.vendorCode();
    if (code == 19 || code == 2067 || code == 1555) {
      return true;
    }
    Throwable cause = failure.getCause();
    return cause != null
        && cause.getMessage() != null
        && cause.getMessage().contains("UNIQUE constraint failed");
  }
}
