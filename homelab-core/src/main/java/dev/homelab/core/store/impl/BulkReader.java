package dev.homelab.core.store.impl;

import io.vertx.core.Future;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

/**
 * Reads the many rows of one read-only query straight from JDBC, for an adapter whose pool maps
 * rows slowly: vertx-jdbc-client spends about 10 µs on each row it turns into a {@code Row}, so a
 * chart of 1,440 buckets took 15 ms on SQLite where the engine itself needs 2.
 */
public interface BulkReader {

  /**
   * Maps the current row of a result set.
   *
   * @param <T> what a row becomes
   */
  @FunctionalInterface
  interface RowMapper<T> {
    /**
     * @param row the result set, on the row to map
     * @return the row's value
     * @throws SQLException if a column cannot be read
     */
    T map(ResultSet row) throws SQLException;
  }

  /**
   * @param sql the query, with {@code ?} placeholders
   * @param params the parameters, in order
   * @param mapper what each row becomes
   * @param <T> what a row becomes
   * @return the rows, in the query's order
   */
  <T> Future<List<T>> query(String sql, List<Object> params, RowMapper<T> mapper);
}
