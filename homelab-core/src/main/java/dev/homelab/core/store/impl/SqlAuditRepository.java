package dev.homelab.core.store.impl;

import dev.homelab.core.Page;
import dev.homelab.core.audit.AuditEntry;
import dev.homelab.core.audit.AuditQuery;
import dev.homelab.core.audit.AuditRepository;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * {@link AuditRepository} over a {@link SqlTarget} (the pools, or one transaction), shared by both
 * adapters.
 */
public final class SqlAuditRepository extends SqlRepositoryBase implements AuditRepository {

  private final String columns;

  /**
   * @param db where the statements go
   */
  public SqlAuditRepository(SqlTarget db) {
    super(db);
    this.columns =
        "id, time, action, outcome, actor_id, actor, source_ip, request_id, target, "
            + dialect.jsonColumn().formatted("detail")
            + " AS detail";
  }

  @Override
  public Future<Void> append(AuditEntry entry) {
    return writer
        .preparedQuery(
            dialect.sql(
                "INSERT INTO audit_log (time, action, outcome, actor_id, actor, source_ip,"
                    + " request_id, target, detail) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, "
                    + dialect.jsonParameter().formatted("$9")
                    + ")"))
        .execute(
            Tuple.from(
                new Object[] {
                  timeOrNull(entry.time()),
                  entry.action(),
                  entry.outcome(),
                  entry.actorId(),
                  entry.actor(),
                  entry.sourceIp(),
                  entry.requestId(),
                  entry.target(),
                  entry.detail().encode()
                }))
        .<Void>mapEmpty()
        .recover(failure("append audit entry"));
  }

  @Override
  public Future<Page<AuditEntry>> list(AuditQuery query) {
    List<Object> values = new ArrayList<>();
    List<String> where = new ArrayList<>();
    values.add(query.beforeId());
    where.add("id < $1");
    addCondition(where, values, "action = $", query.action());
    addCondition(where, values, "actor_id = $", query.actorId());
    addCondition(where, values, "outcome = $", query.outcome());
    addCondition(where, values, "time >= $", timeOrNull(query.from()));
    addCondition(where, values, "time < $", timeOrNull(query.to()));
    values.add(query.limit() + 1);
    String sql =
        "SELECT "
            + columns
            + " FROM audit_log WHERE "
            + String.join(" AND ", where)
            + " ORDER BY id DESC LIMIT $"
            + values.size();
    return reader
        .preparedQuery(dialect.sql(sql))
        .execute(Tuple.from(values))
        .map(rows -> page(rows, query.limit(), this::toEntry, e -> Long.toString(e.id())))
        .recover(failure("list audit entries"));
  }

  @Override
  public Future<Integer> deleteOlderThan(Instant cutoff, int batchSize) {
    // Bounded: the oldest ids first, at most batchSize per statement, so retention never holds
    // the write lock for long.
    return writer
        .preparedQuery(
            dialect.sql(
                "DELETE FROM audit_log WHERE id IN (SELECT id FROM audit_log WHERE time < $1"
                    + " ORDER BY id LIMIT $2)"))
        .execute(Tuple.of(dialect.time(cutoff), batchSize))
        .map(rows -> rows.rowCount())
        .recover(failure("delete expired audit entries"));
  }

  private AuditEntry toEntry(Row row) {
    return new AuditEntry(
        row.getLong("id"),
        dialect.time(row, "time"),
        row.getString("action"),
        row.getString("outcome"),
        row.getString("actor_id"),
        row.getString("actor"),
        row.getString("source_ip"),
        row.getString("request_id"),
        row.getString("target"),
        new JsonObject(row.getString("detail")));
  }
}
