package dev.homelab.core.store.impl;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import java.time.Instant;
import java.util.function.Function;

/**
 * What differs between the SQL of the two adapters, so that repositories over a Vert.x {@code Pool}
 * are written once.
 */
public interface SqlDialect {

  /**
   * Renders a statement written with {@code $1, $2, ...} placeholders for this driver.
   *
   * @param sql a statement with numbered placeholders, each used once and in order
   * @return the statement as the driver expects it
   */
  String sql(String sql);

  /**
   * @param instant a point in time
   * @return the value to bind for a timestamp column
   */
  Object time(Instant instant);

  /**
   * @param row a result row
   * @param column the timestamp column
   * @return the column as an instant
   */
  Instant time(Row row, String column);

  /**
   * @return the SQL expression that casts a bound JSON text parameter for a JSON column, with
   *     {@code %s} for the placeholder
   */
  String jsonParameter();

  /**
   * @return the SQL expression that reads a JSON column as text, with {@code %s} for the column
   */
  String jsonColumn();

  /**
   * @return the clause that locks the rows a SELECT reads until the end of the transaction, or an
   *     empty string where the engine serialises writing transactions anyway (SQLite)
   */
  default String forUpdate() {
    return " FOR UPDATE";
  }

  /**
   * @return whether many rows are best inserted as one multi-row {@code INSERT} (one round trip to
   *     a database server) rather than one statement executed per row in a transaction (cheaper for
   *     an embedded engine, where every new statement text must be prepared again)
   */
  default boolean prefersMultiRowInserts() {
    return true;
  }

  /**
   * Runs work in one transaction on one connection of the pool: committed when the work's future
   * succeeds, rolled back when it fails.
   *
   * @param pool the pool
   * @param work the statements
   * @param <T> the result
   * @return the work's result, once committed
   */
  default <T> Future<T> inTransaction(Pool pool, Function<SqlConnection, Future<T>> work) {
    return pool.withTransaction(work);
  }
}
