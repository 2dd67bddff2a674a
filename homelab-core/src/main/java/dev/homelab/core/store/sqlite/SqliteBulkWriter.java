package dev.homelab.core.store.sqlite;

import dev.homelab.core.store.impl.BulkWriter;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * Batches in one transaction each, on a connection of their own and a worker executor of one
 * thread: one hand-off per batch, with its statement prepared once. Batches run one at a time, in
 * the order they came.
 *
 * <p>This is a second writer beside the storage's writer pool. SQLite has one write lock, so when
 * both write at once one waits for the other (the busy timeout); the batches here are small and
 * short, and the pool's writes (settings, users, metric points) are rare beside them.
 */
final class SqliteBulkWriter implements BulkWriter {

  private final DataSource source;
  private final WorkerExecutor worker;
  private volatile boolean closed;
  // Touched only by the worker's thread, one task at a time.
  private final Map<String, PreparedStatement> statements = new HashMap<>();
  private Connection connection;
  private Statement control; // BEGIN, COMMIT and ROLLBACK
  private boolean shut; // the close task has run: a batch queued behind it must not reopen

  /**
   * @param vertx the Vert.x instance
   * @param source writable connections to the database
   * @param name the worker executor's name
   */
  SqliteBulkWriter(Vertx vertx, DataSource source, String name) {
    this.source = source;
    this.worker = vertx.createSharedWorkerExecutor(name, 1);
  }

  @Override
  public Future<Void> executeBatch(String sql, List<Object[]> rows) {
    return executeBatchCounting(sql, rows).mapEmpty();
  }

  @Override
  public Future<int[]> executeBatchCounting(String sql, List<Object[]> rows) {
    if (closed) {
      return Future.failedFuture(new SQLException("the database is closed"));
    }
    // Unordered: with one thread the tasks still run one at a time, in the order they came from
    // every caller, which is what lets close() run after the batches queued before it.
    return worker.executeBlocking(() -> write(sql, rows), false);
  }

  /** Lets the batches already queued finish, then closes the connection and the executor. */
  Future<Void> close() {
    closed = true;
    return worker
        .executeBlocking(
            () -> {
              shut = true;
              closeConnection();
              return null;
            },
            false)
        .transform(ignored -> worker.close());
  }

  private int[] write(String sql, List<Object[]> rows) throws SQLException {
    if (shut) {
      throw new SQLException("the database is closed");
    }
    Connection conn = connection();
    boolean begun = false;
    try {
      // IMMEDIATE takes the write lock up front, waiting out the pool's writer if it holds it.
      control.execute("BEGIN IMMEDIATE");
      begun = true;
      PreparedStatement statement = statements.get(sql);
      if (statement == null) {
        statement = conn.prepareStatement(sql);
        statements.put(sql, statement);
      }
      int[] counts;
      try {
        for (Object[] row : rows) {
          for (int i = 0; i < row.length; i++) {
            statement.setObject(i + 1, row[i]);
          }
          statement.addBatch();
        }
        counts = statement.executeBatch();
      } finally {
        statement.clearBatch();
      }
      control.execute("COMMIT");
      return counts;
    } catch (SQLException | RuntimeException failure) {
      if (begun) {
        rollBack(failure);
      }
      throw failure;
    }
  }

  /**
   * Ends a failed transaction; a connection that cannot is dropped, and the next batch opens one.
   */
  private void rollBack(Exception failure) {
    try {
      control.execute("ROLLBACK");
    } catch (SQLException rollbackFailed) {
      failure.addSuppressed(rollbackFailed);
      closeConnection();
    }
  }

  private Connection connection() throws SQLException {
    if (connection == null) {
      // Left in autocommit mode, with each batch's transaction begun and ended by hand: out of
      // it, sqlite-jdbc begins the next transaction as soon as one commits, and would hold the
      // write lock between batches.
      connection = source.getConnection();
      control = connection.createStatement();
    }
    return connection;
  }

  private void closeConnection() {
    statements.clear(); // closing the connection closes its statements
    if (connection != null) {
      try {
        connection.close();
      } catch (SQLException ignored) {
        // a connection we give up on: SQLite rolls back whatever it held
      }
      connection = null;
      control = null;
    }
  }
}
