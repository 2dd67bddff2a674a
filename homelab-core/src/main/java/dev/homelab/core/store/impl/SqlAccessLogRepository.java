package dev.homelab.core.store.impl;

import dev.homelab.core.Page;
import dev.homelab.core.access.AccessLogEntry;
import dev.homelab.core.access.AccessLogQuery;
import dev.homelab.core.access.AccessLogRepository;
import dev.homelab.core.access.Reason;
import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * {@link AccessLogRepository} over a {@link SqlTarget} (the pools, or one transaction), shared by
 * both adapters. A batch is one statement or one transaction, so a group commit costs one commit
 * however many rows it holds.
 */
public final class SqlAccessLogRepository extends SqlRepositoryBase implements AccessLogRepository {

  private static final String COLUMNS =
      "id, time, device_id, card_uid, granted, reason, holder, latency_ms";

  private final String insert;
  private final BulkWriter bulk;

  /**
   * @param db where the statements go
   * @param bulk where batches of rows are written, or {@code null} for the writer pool
   */
  public SqlAccessLogRepository(SqlTarget db, BulkWriter bulk) {
    super(db);
    this.bulk = bulk;
    this.insert =
        dialect.sql(
            "INSERT INTO access_logs (" + COLUMNS + ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8)");
  }

  @Override
  public Future<Void> append(List<AccessLogEntry> entries) {
    if (entries.isEmpty()) {
      return Future.succeededFuture();
    }
    List<Object[]> columns = new ArrayList<>(entries.size());
    for (AccessLogEntry e : entries) {
      columns.add(
          new Object[] {
            e.id(),
            dialect.time(e.time()),
            e.deviceId(),
            e.cardUid(),
            e.granted() ? 1 : 0,
            e.reason().name(),
            e.holder(),
            e.latencyMs()
          });
    }
    if (bulk != null) {
      // One statement executed for every row, in one transaction: one commit (one fsync).
      return bulk.executeBatch(insert, columns).recover(failure("record access decisions"));
    }
    if (dialect.prefersMultiRowInserts()) {
      // One statement, atomic on its own: one round trip however many rows a group holds.
      StringBuilder sql = new StringBuilder("INSERT INTO access_logs (" + COLUMNS + ") VALUES ");
      List<Object> values = new ArrayList<>(columns.size() * 8);
      for (Object[] row : columns) {
        sql.append(values.isEmpty() ? "(" : ", (");
        for (int column = 0; column < row.length; column++) {
          values.add(row[column]);
          sql.append(column == 0 ? "$" : ", $").append(values.size());
        }
        sql.append(')');
      }
      return writer
          .preparedQuery(dialect.sql(sql.toString()))
          .execute(Tuple.from(values))
          .<Void>mapEmpty()
          .recover(failure("record access decisions"));
    }
    // One prepared statement executed for every row, in one transaction: one commit (one fsync).
    List<Tuple> rows = new ArrayList<>(columns.size());
    columns.forEach(row -> rows.add(Tuple.from(row)));
    return db.inTransaction(conn -> conn.preparedQuery(insert).executeBatch(rows))
        .<Void>mapEmpty()
        .recover(failure("record access decisions"));
  }

  @Override
  public Future<Page<AccessLogEntry>> list(AccessLogQuery query) {
    List<Object> values = new ArrayList<>();
    List<String> where = new ArrayList<>();
    addCondition(where, values, "id < $", query.cursor());
    addCondition(where, values, "device_id = $", query.deviceId());
    addCondition(where, values, "card_uid = $", query.cardUid());
    addCondition(
        where, values, "granted = $", query.granted() == null ? null : query.granted() ? 1 : 0);
    addCondition(where, values, "time >= $", timeOrNull(query.from()));
    addCondition(where, values, "time < $", timeOrNull(query.to()));
    values.add(query.limit() + 1);
    String sql =
        "SELECT "
            + COLUMNS
            + " FROM access_logs"
            + (where.isEmpty() ? "" : " WHERE " + String.join(" AND ", where))
            + " ORDER BY id DESC LIMIT $"
            + values.size();
    return reader
        .preparedQuery(dialect.sql(sql))
        .execute(Tuple.from(values))
        .map(rows -> page(rows, query.limit(), this::toEntry, AccessLogEntry::id))
        .recover(failure("list access decisions"));
  }

  @Override
  public Future<AccessLogEntry> byId(String id) {
    return reader
        .preparedQuery(dialect.sql("SELECT " + COLUMNS + " FROM access_logs WHERE id = $1"))
        .execute(Tuple.of(id))
        .map(rows -> rows.size() == 0 ? null : toEntry(rows.iterator().next()))
        .recover(failure("read an access decision"));
  }

  @Override
  public Future<Integer> deleteOlderThan(Instant cutoff, int batchSize) {
    return writer
        .preparedQuery(
            dialect.sql(
                "DELETE FROM access_logs WHERE id IN (SELECT id FROM access_logs WHERE time < $1"
                    + " ORDER BY time LIMIT $2)"))
        .execute(Tuple.of(dialect.time(cutoff), batchSize))
        .map(rows -> rows.rowCount())
        .recover(failure("delete expired access decisions"));
  }

  private AccessLogEntry toEntry(Row row) {
    return new AccessLogEntry(
        row.getString("id"),
        dialect.time(row, "time"),
        row.getString("device_id"),
        row.getString("card_uid"),
        bool(row, "granted"),
        Reason.valueOf(row.getString("reason")),
        row.getString("holder"),
        ((Number) row.getValue("latency_ms")).doubleValue());
  }
}
