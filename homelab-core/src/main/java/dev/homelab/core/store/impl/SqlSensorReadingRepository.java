package dev.homelab.core.store.impl;

import dev.homelab.core.telemetry.SensorReading;
import dev.homelab.core.telemetry.SensorReadingRepository;
import dev.homelab.core.telemetry.StoredReading;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@link SensorReadingRepository} over a {@link SqlTarget}, shared by both adapters. A batch is one
 * statement (PostgreSQL: {@code INSERT ... SELECT FROM unnest(...)}, one round trip whatever its
 * size) or one prepared statement executed per row in one transaction (SQLite, on the ordered bulk
 * writer), so a group commit costs one commit however many readings it holds. Either way {@code ON
 * CONFLICT DO NOTHING} leaves out readings already stored, and a reading whose device is gone is
 * left out rather than failing the whole group on the foreign key.
 */
public final class SqlSensorReadingRepository extends SqlRepositoryBase
    implements SensorReadingRepository {

  // PostgreSQL only: the one dialect that prefers multi-row inserts is the one with arrays.
  private static final String INSERT_UNNEST =
      "INSERT INTO sensor_readings (device_id, time, message_id, fields, stored_at)"
          + " SELECT r.device_id, r.time, r.message_id, r.fields, $5"
          + " FROM unnest($1::text[], $2::bigint[], $3::text[], $4::text[]) WITH ORDINALITY"
          + " AS r (device_id, time, message_id, fields, n)"
          + " WHERE EXISTS (SELECT 1 FROM devices d WHERE d.id = r.device_id)"
          // In the given order: ids follow it, and of two readings with one key the first stays.
          + " ORDER BY r.n"
          + " ON CONFLICT (device_id, time, message_id) DO NOTHING"
          + " RETURNING device_id, time, message_id";

  private static final String INSERT_ROW =
      "INSERT INTO sensor_readings (device_id, time, message_id, fields, stored_at)"
          + " SELECT $1, $2, $3, $4, $5 WHERE EXISTS (SELECT 1 FROM devices WHERE id = $6)"
          + " ON CONFLICT (device_id, time, message_id) DO NOTHING";

  private static final String AFTER =
      "SELECT id, device_id, time, message_id, fields FROM sensor_readings"
          + " WHERE id > $1 AND stored_at < $2 ORDER BY id LIMIT $3";

  private final BulkWriter bulk;
  private final String insertRow;

  /**
   * @param db where the statements go
   * @param bulk where batches of rows are written, or {@code null} for the writer pool
   */
  public SqlSensorReadingRepository(SqlTarget db, BulkWriter bulk) {
    super(db);
    this.bulk = bulk;
    this.insertRow = dialect.sql(INSERT_ROW);
  }

  @Override
  public Future<List<SensorReading>> append(List<SensorReading> readings, Instant storedAt) {
    if (readings.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    long stored = storedAt.toEpochMilli();
    if (dialect.prefersMultiRowInserts()) {
      return appendUnnest(readings, stored).recover(failure("store sensor readings"));
    }
    List<Object[]> rows = new ArrayList<>(readings.size());
    for (SensorReading r : readings) {
      rows.add(
          new Object[] {
            r.deviceId(), r.time().toEpochMilli(), messageId(r), fieldsOf(r), stored, r.deviceId()
          });
    }
    Future<int[]> counts;
    if (bulk != null) {
      counts = bulk.executeBatchCounting(insertRow, rows);
    } else {
      // One row at a time: a JDBC batch through the pool does not tell each row's count.
      counts = db.inTransaction(conn -> insertEach(conn, rows, 0, new int[rows.size()]));
    }
    return counts
        .map(
            changed -> {
              List<SensorReading> fresh = new ArrayList<>();
              for (int i = 0; i < readings.size(); i++) {
                if (i < changed.length && changed[i] > 0) {
                  fresh.add(readings.get(i));
                }
              }
              return fresh;
            })
        .recover(failure("store sensor readings"));
  }

  private Future<List<SensorReading>> appendUnnest(List<SensorReading> readings, long storedAt) {
    int n = readings.size();
    String[] devices = new String[n];
    Long[] times = new Long[n];
    String[] messages = new String[n];
    String[] fields = new String[n];
    for (int i = 0; i < n; i++) {
      SensorReading r = readings.get(i);
      devices[i] = r.deviceId();
      times[i] = r.time().toEpochMilli();
      messages[i] = messageId(r);
      fields[i] = fieldsOf(r);
    }
    return writer
        .preparedQuery(INSERT_UNNEST)
        .execute(Tuple.of(devices, times, messages, fields, storedAt))
        .map(
            rows -> {
              Set<String> inserted = new HashSet<>();
              for (Row row : rows) {
                inserted.add(
                    key(row.getString("device_id"), row.getLong("time"), row.getString(2)));
              }
              // Two readings of one call with the same key: the first is the one stored.
              List<SensorReading> fresh = new ArrayList<>(inserted.size());
              for (SensorReading r : readings) {
                if (inserted.remove(key(r.deviceId(), r.time().toEpochMilli(), messageId(r)))) {
                  fresh.add(r);
                }
              }
              return fresh;
            });
  }

  @Override
  public Future<List<StoredReading>> after(long position, Instant storedBefore, int limit) {
    return reader
        .preparedQuery(dialect.sql(AFTER))
        .execute(Tuple.of(position, storedBefore.toEpochMilli(), limit))
        .map(
            rows -> {
              List<StoredReading> read = new ArrayList<>(rows.size());
              for (Row row : rows) {
                String message = row.getString("message_id");
                read.add(
                    new StoredReading(
                        row.getLong("id"),
                        new SensorReading(
                            row.getString("device_id"),
                            Instant.ofEpochMilli(row.getLong("time")),
                            message.isEmpty() ? null : message,
                            values(row.getString("fields")))));
              }
              return read;
            })
        .recover(failure("read sensor readings"));
  }

  @Override
  public Future<Long> positionBefore(Instant storedAt) {
    return reader
        .preparedQuery(dialect.sql("SELECT min(id) FROM sensor_readings WHERE stored_at >= $1"))
        .execute(Tuple.of(storedAt.toEpochMilli()))
        .compose(
            rows -> {
              Long first = rows.iterator().next().getLong(0);
              if (first != null) {
                return Future.succeededFuture(first - 1);
              }
              return reader
                  .query("SELECT max(id) FROM sensor_readings")
                  .execute()
                  .map(
                      all -> {
                        Long last = all.iterator().next().getLong(0);
                        return last == null ? 0L : last;
                      });
            })
        .recover(failure("read the sensor readings' position"));
  }

  private Future<int[]> insertEach(SqlClient conn, List<Object[]> rows, int from, int[] counts) {
    if (from >= rows.size()) {
      return Future.succeededFuture(counts);
    }
    return conn.preparedQuery(insertRow)
        .execute(Tuple.from(rows.get(from)))
        .compose(
            result -> {
              counts[from] = result.rowCount();
              return insertEach(conn, rows, from + 1, counts);
            });
  }

  private static String messageId(SensorReading reading) {
    return reading.messageId() == null ? "" : reading.messageId();
  }

  private static String key(String device, long time, String message) {
    return device + '\u0000' + time + '\u0000' + message;
  }

  private static String fieldsOf(SensorReading reading) {
    JsonObject json = new JsonObject(new LinkedHashMap<>());
    reading.values().forEach(json::put);
    return json.encode();
  }

  private static Map<String, Double> values(String text) {
    Map<String, Double> values = new LinkedHashMap<>();
    new JsonObject(text)
        .forEach(field -> values.put(field.getKey(), ((Number) field.getValue()).doubleValue()));
    return values;
  }
}
