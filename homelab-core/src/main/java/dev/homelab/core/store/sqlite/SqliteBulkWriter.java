package dev.homelab.core.store.sqlite;

import dev.homelab.core.store.impl.BulkWriter;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import javax.sql.DataSource;

/**
 * Batches in one transaction each, on a connection and a thread of their own: one hand-off per
 * batch, with its statement prepared once. Batches run one at a time, in the order they came.
 *
 * <p>The thread is a plain one, not a Vert.x worker: with the access log's group commit waiting on
 * it at 5,000 checks a second, the check's p99 was 6.6-10.4 ms through a worker executor and
 * 4.1-5.4 ms through this thread (docs/performance.md).
 *
 * <p>This is a second writer beside the storage's writer pool. SQLite has one write lock, so when
 * both write at once one waits for the other (the busy timeout); the batches here are small and
 * short, and the pool's writes (settings, users, metric points) are rare beside them.
 */
final class SqliteBulkWriter implements BulkWriter {

  private final DataSource source;
  private final ExecutorService thread;
  // Touched only by the thread, one task at a time.
  private final Map<String, PreparedStatement> statements = new HashMap<>();
  private Connection connection;
  private Statement control; // BEGIN, COMMIT and ROLLBACK
  private volatile boolean closed;

  /**
   * @param source writable connections to the database
   * @param name the thread's name
   */
  SqliteBulkWriter(DataSource source, String name) {
    this.source = source;
    this.thread =
        Executors.newSingleThreadExecutor(
            task -> {
              // A daemon: a commit cut off at exit is rolled back, and its rows were never acked.
              Thread t = new Thread(task, name);
              t.setDaemon(true);
              return t;
            });
  }

  @Override
  public Future<Void> executeBatch(String sql, List<Object[]> rows) {
    if (closed) {
      return Future.failedFuture(new SQLException("the database is closed"));
    }
    return run(
        () -> {
          write(sql, rows);
          return null;
        });
  }

  /** Lets the batches already queued finish, then closes the connection and the thread. */
  Future<Void> close() {
    closed = true;
    Future<Void> done =
        run(
            () -> {
              closeConnection();
              return null;
            });
    thread.shutdown();
    return done;
  }

  /** Runs a task on the thread; its future completes on the caller's context, if it has one. */
  private <T> Future<T> run(Callable<T> task) {
    Context caller = Vertx.currentContext();
    Promise<T> promise = Promise.promise();
    try {
      thread.execute(
          () -> {
            T result = null;
            Throwable failure = null;
            try {
              result = task.call();
            } catch (Throwable e) { // an Error too: a caller left waiting would stall the log
              failure = e;
            }
            T value = result;
            Throwable error = failure;
            if (caller == null) {
              promise.handle(
                  error == null ? Future.succeededFuture(value) : Future.failedFuture(error));
            } else {
              caller.runOnContext(
                  v ->
                      promise.handle(
                          error == null
                              ? Future.succeededFuture(value)
                              : Future.failedFuture(error)));
            }
          });
    } catch (RejectedExecutionException closedMeanwhile) {
      return Future.failedFuture(new SQLException("the database is closed"));
    }
    return promise.future();
  }

  private void write(String sql, List<Object[]> rows) throws SQLException {
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
      try {
        for (Object[] row : rows) {
          for (int i = 0; i < row.length; i++) {
            statement.setObject(i + 1, row[i]);
          }
          statement.addBatch();
        }
        statement.executeBatch();
      } finally {
        statement.clearBatch();
      }
      control.execute("COMMIT");
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
