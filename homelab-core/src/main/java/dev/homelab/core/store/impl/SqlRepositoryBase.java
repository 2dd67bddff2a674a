package dev.homelab.core.store.impl;

import dev.homelab.core.ConflictException;
import dev.homelab.core.Page;
import dev.homelab.core.store.StorageException;
import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** What the SQL repositories share: where statements go, the dialect, and row and error helpers. */
abstract class SqlRepositoryBase {

  final SqlTarget db;
  final SqlClient reader;
  final SqlClient writer;
  final SqlDialect dialect;

  SqlRepositoryBase(SqlTarget db) {
    this.db = db;
    this.reader = db.reader();
    this.writer = db.writer();
    this.dialect = db.dialect();
  }

  /** The current time at the precision both engines store (milliseconds). */
  static Instant now() {
    return Instant.now().truncatedTo(ChronoUnit.MILLIS);
  }

  Object timeOrNull(Instant instant) {
    return instant == null ? null : dialect.time(instant.truncatedTo(ChronoUnit.MILLIS));
  }

  Instant timeOrNull(Row row, String column) {
    return row.getValue(column) == null ? null : dialect.time(row, column);
  }

  static boolean bool(Row row, String column) {
    Object value = row.getValue(column);
    return value instanceof Number n ? n.intValue() != 0 : Boolean.TRUE.equals(value);
  }

  /** Wraps a driver failure as a {@link StorageException} naming the operation. */
  static <T> Function<Throwable, Future<T>> failure(String operation) {
    return failure -> Future.failedFuture(SqlErrors.wrap(operation, failure));
  }

  /**
   * Wraps a driver failure, turning a unique-constraint violation into a {@link ConflictException}.
   */
  static <T> Function<Throwable, Future<T>> conflictOr(
      String operation, String errorCode, String message) {
    return failure -> {
      StorageException wrapped = SqlErrors.wrap(operation, failure);
      return Future.failedFuture(
          SqlErrors.isUniqueViolation(wrapped)
              ? new ConflictException(errorCode, message)
              : wrapped);
    };
  }

  /**
   * Reads the rows of a query that asked for {@code limit + 1} rows as one page: the extra row, if
   * any, only says that there is a next page, which starts after the last row of this one.
   */
  static <T> Page<T> page(
      RowSet<Row> rows, int limit, Function<Row, T> mapper, Function<T, String> cursorOf) {
    List<T> items = new ArrayList<>(rows.size());
    rows.forEach(row -> items.add(mapper.apply(row)));
    if (items.size() <= limit) {
      return new Page<>(items, null);
    }
    List<T> page = List.copyOf(items.subList(0, limit));
    return new Page<>(page, cursorOf.apply(page.get(page.size() - 1)));
  }

  /** Adds {@code condition + placeholder} and its value to a WHERE clause, if the value is set. */
  static void addCondition(
      List<String> where, List<Object> values, String condition, Object value) {
    if (value != null) {
      values.add(value);
      where.add(condition + values.size());
    }
  }
}
