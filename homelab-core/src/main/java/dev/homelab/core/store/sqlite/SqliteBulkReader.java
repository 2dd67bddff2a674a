package dev.homelab.core.store.sqlite;

import dev.homelab.core.store.impl.BulkReader;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import javax.sql.DataSource;

/**
 * Read-only queries on plain JDBC connections of their own, on a worker executor as wide as the
 * connections: as many reads run at once as the reader pool allows, none on an event loop.
 * Connections are opened when first needed and reused.
 */
final class SqliteBulkReader implements BulkReader {

  private final DataSource source;
  private final WorkerExecutor worker;
  private final ArrayBlockingQueue<Connection> idle;
  private volatile boolean closed;

  /**
   * @param vertx the Vert.x instance
   * @param source read-only connections to the database
   * @param name the worker executor's name
   * @param size how many reads may run at once
   */
  SqliteBulkReader(Vertx vertx, DataSource source, String name, int size) {
    this.source = source;
    this.worker = vertx.createSharedWorkerExecutor(name, size);
    this.idle = new ArrayBlockingQueue<>(size);
  }

  @Override
  public <T> Future<List<T>> query(String sql, List<Object> params, RowMapper<T> mapper) {
    return worker.executeBlocking(
        () -> {
          Connection connection = borrow();
          boolean healthy = false;
          try (PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < params.size(); i++) {
              statement.setObject(i + 1, params.get(i));
            }
            List<T> rows = new ArrayList<>();
            try (ResultSet result = statement.executeQuery()) {
              while (result.next()) {
                rows.add(mapper.map(result));
              }
            }
            healthy = true;
            return rows;
          } finally {
            giveBack(connection, healthy);
          }
        },
        false);
  }

  private Connection borrow() throws SQLException {
    if (closed) {
      throw new SQLException("the database is closed");
    }
    Connection connection = idle.poll();
    return connection != null ? connection : source.getConnection();
  }

  /** Keeps a connection for the next read, unless it failed or there is no room (or we closed). */
  private void giveBack(Connection connection, boolean healthy) throws SQLException {
    if (!healthy || closed || !idle.offer(connection)) {
      connection.close();
    } else if (closed && idle.remove(connection)) {
      connection.close(); // closed while we were offering it
    }
  }

  /** Closes the idle connections and the executor; reads in flight close theirs when done. */
  Future<Void> close() {
    closed = true;
    Connection connection;
    while ((connection = idle.poll()) != null) {
      try {
        connection.close();
      } catch (SQLException ignored) {
        // closing a read-only connection: nothing to lose
      }
    }
    return worker.close();
  }
}
