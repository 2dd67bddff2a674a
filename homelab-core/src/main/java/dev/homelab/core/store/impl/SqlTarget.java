package dev.homelab.core.store.impl;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlClient;
import java.util.function.Function;

/**
 * Where a repository's statements go: the adapter's pools, or the one connection of a transaction
 * that several repositories share. Inside a transaction reads go to that connection too, so they
 * see the transaction's own writes, and a repository's own multi-statement change joins it instead
 * of opening a second one.
 *
 * @param reader where reads go
 * @param writer where writes go
 * @param dialect the adapter's SQL differences
 * @param pool the pool a repository's own transactions are opened on, or {@code null} inside a
 *     transaction (the statements then join it)
 */
record SqlTarget(SqlClient reader, SqlClient writer, SqlDialect dialect, Pool pool) {

  /** The pools of an adapter. */
  static SqlTarget pools(Pool reader, Pool writer, SqlDialect dialect) {
    return new SqlTarget(reader, writer, dialect, writer);
  }

  /** One connection that is already in a transaction. */
  static SqlTarget transaction(SqlClient connection, SqlDialect dialect) {
    return new SqlTarget(connection, connection, dialect, null);
  }

  /**
   * Runs statements in one transaction: a new one on the pool, or the enclosing one.
   *
   * @param work the statements
   * @param <T> the result
   * @return the result, committed (or, inside a transaction, written to it)
   */
  <T> Future<T> inTransaction(Function<SqlClient, Future<T>> work) {
    return pool == null ? work.apply(writer) : dialect.inTransaction(pool, work::apply);
  }
}
