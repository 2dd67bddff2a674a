package dev.homelab.core.store.impl;

import dev.homelab.core.telemetry.DeviceState;
import dev.homelab.core.telemetry.DeviceStateKind;
import dev.homelab.core.telemetry.DeviceStateRepository;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * {@link DeviceStateRepository} over a {@link SqlTarget}, shared by both adapters. Times are
 * milliseconds since the epoch in a plain integer column, as the metric tables keep them.
 */
public final class SqlDeviceStateRepository extends SqlRepositoryBase
    implements DeviceStateRepository {

  private static final String COLUMNS = "topic, kind, time, state";

  private final String insert;
  private final String latest;
  private final String read;
  private final String purge;

  /**
   * @param db where the statements go
   */
  public SqlDeviceStateRepository(SqlTarget db) {
    super(db);
    this.insert =
        dialect.sql("INSERT INTO device_states (" + COLUMNS + ") VALUES ($1, $2, $3, $4)");
    this.latest =
        dialect.sql(
            "SELECT "
                + COLUMNS
                + " FROM device_states WHERE topic = $1 AND kind = $2"
                + " ORDER BY time DESC, id DESC LIMIT 1");
    this.read =
        dialect.sql(
            "SELECT "
                + COLUMNS
                + " FROM device_states WHERE topic = $1 AND kind = $2 AND time >= $3 AND time < $4"
                + " ORDER BY time DESC, id DESC LIMIT $5");
    // Never the newest row of a topic and kind: a device unchanged for longer than the retention
    // keeps its current state.
    this.purge =
        dialect.sql(
            "DELETE FROM device_states WHERE id IN (SELECT d.id FROM device_states d"
                + " WHERE d.time < $1 AND d.id <> (SELECT n.id FROM device_states n"
                + " WHERE n.topic = d.topic AND n.kind = d.kind ORDER BY n.time DESC, n.id DESC"
                + " LIMIT 1) ORDER BY d.time LIMIT $2)");
  }

  @Override
  public Future<Integer> append(List<DeviceState> states) {
    if (states.isEmpty()) {
      return Future.succeededFuture(0);
    }
    List<Tuple> rows = new ArrayList<>(states.size());
    for (DeviceState s : states) {
      rows.add(Tuple.of(s.topic(), s.kind().label(), s.time().toEpochMilli(), s.state().encode()));
    }
    // One prepared statement executed for every row, in one transaction: one commit.
    return db.inTransaction(conn -> conn.preparedQuery(insert).executeBatch(rows))
        .map(done -> states.size())
        .recover(failure("record device states"));
  }

  @Override
  public Future<DeviceState> latest(String topic, DeviceStateKind kind) {
    return reader
        .preparedQuery(latest)
        .execute(Tuple.of(topic, kind.label()))
        .map(rows -> rows.size() == 0 ? null : toState(rows.iterator().next()))
        .recover(failure("read a device state"));
  }

  @Override
  public Future<List<DeviceState>> read(
      String topic, DeviceStateKind kind, long from, long to, int limit) {
    if (limit < 1) {
      return Future.failedFuture(new IllegalArgumentException("limit must be at least 1"));
    }
    return reader
        .preparedQuery(read)
        .execute(Tuple.of(topic, kind.label(), from, to, limit))
        .map(
            rows -> {
              List<DeviceState> states = new ArrayList<>(rows.size());
              rows.forEach(row -> states.add(toState(row)));
              Collections.reverse(states);
              return List.copyOf(states);
            })
        .recover(failure("read device states"));
  }

  @Override
  public Future<Integer> purge(long before, int limit) {
    return writer
        .preparedQuery(purge)
        .execute(Tuple.of(before, limit))
        .map(rows -> rows.rowCount())
        .recover(failure("delete expired device states"));
  }

  private static DeviceState toState(Row row) {
    return new DeviceState(
        row.getString("topic"),
        DeviceStateKind.of(row.getString("kind")),
        Instant.ofEpochMilli(((Number) row.getValue("time")).longValue()),
        new JsonObject(row.getString("state")));
  }
}
