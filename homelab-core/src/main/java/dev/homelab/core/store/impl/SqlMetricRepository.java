package dev.homelab.core.store.impl;

import dev.homelab.core.metrics.Bucket;
import dev.homelab.core.metrics.MetricRepository;
import dev.homelab.core.metrics.Point;
import dev.homelab.core.metrics.SeriesKey;
import dev.homelab.core.metrics.Tier;
import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Metrics in SQL: {@code metric_series} numbers the series, {@code metric_points} holds raw points
 * (one per series and millisecond), {@code metric_buckets} the buckets of every rolled tier and
 * {@code metric_watermarks} how far each tier is rolled up. A roll-up step is one {@code INSERT ...
 * SELECT ... GROUP BY} with an upsert, and the watermark's update, in one transaction.
 */
public final class SqlMetricRepository extends SqlRepositoryBase implements MetricRepository {

  /** Rows per multi-row INSERT: 3 values each, well under both engines' parameter limits. */
  private static final int CHUNK = 1_000;

  private static final String UPSERT =
      " ON CONFLICT (tier, series_id, start) DO UPDATE SET count = excluded.count,"
          + " sum = excluded.sum, min = excluded.min, max = excluded.max, last = excluded.last,"
          + " last_time = excluded.last_time";

  // Each placeholder appears once, in order: SQLite's placeholders are positional.
  private static final String ROLL_UP_RAW =
      "INSERT INTO metric_buckets (tier, series_id, start, count, sum, min, max, last, last_time)"
          + " SELECT $1, g.series_id, g.start, g.count, g.sum, g.min, g.max,"
          + " (SELECT p.value FROM metric_points p"
          + " WHERE p.series_id = g.series_id AND p.time = g.last_time), g.last_time"
          + " FROM (SELECT series_id, time - time % $2 AS start, count(*) AS count,"
          + " sum(value) AS sum, min(value) AS min, max(value) AS max, max(time) AS last_time"
          + " FROM metric_points WHERE time >= $3 AND time < $4 GROUP BY 1, 2) g WHERE true"
          + UPSERT;

  private static final String ROLL_UP_BUCKETS =
      "INSERT INTO metric_buckets (tier, series_id, start, count, sum, min, max, last, last_time)"
          + " SELECT $1, g.series_id, g.start, g.count, g.sum, g.min, g.max,"
          + " (SELECT b.last FROM metric_buckets b WHERE b.tier = $2"
          + " AND b.series_id = g.series_id AND b.last_time = g.last_time"
          + " AND b.start >= g.start AND b.start < g.start + $3), g.last_time"
          + " FROM (SELECT series_id, start - start % $4 AS start,"
          + " CAST(sum(count) AS BIGINT) AS count, sum(sum) AS sum, min(min) AS min,"
          + " max(max) AS max, max(last_time) AS last_time"
          + " FROM metric_buckets WHERE tier = $5 AND start >= $6 AND start < $7"
          + " GROUP BY 1, 2) g WHERE true"
          + UPSERT;

  // Never backwards: a step of an instance that has just lost the leadership may commit after the
  // new leader's.
  private static final String SET_WATERMARK =
      "INSERT INTO metric_watermarks (tier, watermark) VALUES ($1, $2)"
          + " ON CONFLICT (tier) DO UPDATE SET watermark = CASE"
          + " WHEN excluded.watermark > metric_watermarks.watermark THEN excluded.watermark"
          + " ELSE metric_watermarks.watermark END";

  private static final String READ_POINTS =
      "SELECT time, value FROM metric_points"
          + " WHERE series_id = $1 AND time >= $2 AND time < $3 ORDER BY time";

  private static final String READ_BUCKETS =
      "SELECT start, count, sum, min, max, last, last_time FROM metric_buckets"
          + " WHERE tier = $1 AND series_id = $2 AND start >= $3 AND start < $4 ORDER BY start";

  // The same for JDBC, whose placeholders are all ?.
  private static final String READ_POINTS_JDBC = READ_POINTS.replaceAll("\\$\\d+", "?");
  private static final String READ_BUCKETS_JDBC = READ_BUCKETS.replaceAll("\\$\\d+", "?");

  private final Map<String, Long> ids = new ConcurrentHashMap<>();
  private final BulkReader bulk;

  /**
   * @param db where the statements go
   * @param bulk where point and bucket ranges are read, or {@code null} for the reader pool
   */
  public SqlMetricRepository(SqlTarget db, BulkReader bulk) {
    super(db);
    this.bulk = bulk;
  }

  @Override
  public Future<Integer> append(List<Point> points) {
    if (points.isEmpty()) {
      return Future.succeededFuture(0);
    }
    Set<SeriesKey> series = new LinkedHashSet<>();
    points.forEach(p -> series.add(p.series()));
    return idsOf(series, true)
        .compose(known -> db.inTransaction(conn -> insertPoints(conn, points, known, 0, 0)))
        .recover(failure("store metric points"));
  }

  private Future<Integer> insertPoints(
      SqlClient conn, List<Point> points, Map<SeriesKey, Long> known, int from, int stored) {
    if (from >= points.size()) {
      return Future.succeededFuture(stored);
    }
    int to = Math.min(points.size(), from + CHUNK);
    StringBuilder sql =
        new StringBuilder("INSERT INTO metric_points (series_id, time, value) VALUES ");
    List<Object> values = new ArrayList<>((to - from) * 3);
    for (int i = from; i < to; i++) {
      Point p = points.get(i);
      int n = values.size();
      sql.append(i == from ? "" : ", ")
          .append("($")
          .append(n + 1)
          .append(", $")
          .append(n + 2)
          .append(", $")
          .append(n + 3)
          .append(')');
      values.add(known.get(p.series()));
      values.add(p.time());
      values.add(p.value());
    }
    sql.append(" ON CONFLICT (series_id, time) DO NOTHING");
    return conn.preparedQuery(dialect.sql(sql.toString()))
        .execute(Tuple.from(values))
        .compose(rows -> insertPoints(conn, points, known, to, stored + rows.rowCount()));
  }

  /** The ids of some series, numbering new ones if asked to. */
  private Future<Map<SeriesKey, Long>> idsOf(Collection<SeriesKey> series, boolean create) {
    Map<SeriesKey, Long> known = new HashMap<>();
    List<SeriesKey> missing = new ArrayList<>();
    for (SeriesKey key : series) {
      Long id = ids.get(key.toString());
      if (id != null) {
        known.put(key, id);
      } else {
        missing.add(key);
      }
    }
    if (missing.isEmpty()) {
      return Future.succeededFuture(known);
    }
    Future<Void> created = Future.succeededFuture();
    if (create) {
      StringBuilder insert = new StringBuilder("INSERT INTO metric_series (key, name) VALUES ");
      List<Object> values = new ArrayList<>();
      for (SeriesKey key : missing) {
        insert
            .append(values.isEmpty() ? "" : ", ")
            .append("($")
            .append(values.size() + 1)
            .append(", $")
            .append(values.size() + 2)
            .append(')');
        values.add(key.toString());
        values.add(key.name());
      }
      insert.append(" ON CONFLICT (key) DO NOTHING");
      created =
          writer
              .preparedQuery(dialect.sql(insert.toString()))
              .execute(Tuple.from(values))
              .mapEmpty();
    }
    StringBuilder select = new StringBuilder("SELECT id, key FROM metric_series WHERE key IN (");
    List<Object> keys = new ArrayList<>();
    for (SeriesKey key : missing) {
      keys.add(key.toString());
      select.append(keys.size() == 1 ? "$" : ", $").append(keys.size());
    }
    select.append(')');
    // Read through the writer after creating, so the new rows are certainly visible.
    SqlClient pool = create ? writer : reader;
    return created
        .compose(v -> pool.preparedQuery(dialect.sql(select.toString())).execute(Tuple.from(keys)))
        .map(
            rows -> {
              for (Row row : rows) {
                ids.put(row.getString("key"), row.getLong("id"));
              }
              for (SeriesKey key : missing) {
                Long id = ids.get(key.toString());
                if (id != null) {
                  known.put(key, id);
                }
              }
              return known;
            });
  }

  @Override
  public Future<Map<String, Long>> watermarks() {
    return reader
        .query("SELECT tier, watermark FROM metric_watermarks")
        .execute()
        .map(
            rows -> {
              Map<String, Long> marks = new HashMap<>();
              rows.forEach(row -> marks.put(row.getString("tier"), row.getLong("watermark")));
              return marks;
            })
        .recover(failure("read metric watermarks"));
  }

  @Override
  public Future<Long> earliest(Tier tier) {
    Future<io.vertx.sqlclient.RowSet<Row>> rows =
        tier.isRaw()
            ? reader.query("SELECT min(time) FROM metric_points").execute()
            : reader
                .preparedQuery(dialect.sql("SELECT min(start) FROM metric_buckets WHERE tier = $1"))
                .execute(Tuple.of(tier.name()));
    return rows.map(r -> r.iterator().next().getLong(0)).recover(failure("read metric range"));
  }

  @Override
  public Future<Integer> rollUp(Tier source, Tier target, long from, long to) {
    long width = target.bucketMillis();
    return db.inTransaction(
            conn ->
                (source.isRaw()
                        ? conn.preparedQuery(dialect.sql(ROLL_UP_RAW))
                            .execute(Tuple.of(target.name(), width, from, to))
                        : conn.preparedQuery(dialect.sql(ROLL_UP_BUCKETS))
                            .execute(
                                Tuple.from(
                                    List.of(
                                        target.name(),
                                        source.name(),
                                        width,
                                        width,
                                        source.name(),
                                        from,
                                        to))))
                    .compose(
                        rolled ->
                            conn.preparedQuery(dialect.sql(SET_WATERMARK))
                                .execute(Tuple.of(target.name(), to))
                                .map(v -> rolled.rowCount())))
        .recover(failure("roll up metrics into " + target.name()));
  }

  @Override
  public Future<List<Bucket>> read(SeriesKey series, Tier tier, long from, long to) {
    return idsOf(List.of(series), false)
        .compose(
            known -> {
              Long id = known.get(series);
              if (id == null) {
                return Future.succeededFuture(List.<Bucket>of());
              }
              return tier.isRaw() ? readPoints(id, from, to) : readBuckets(id, tier, from, to);
            })
        .recover(failure("read metrics"));
  }

  private Future<List<Bucket>> readPoints(long id, long from, long to) {
    if (bulk != null) {
      return bulk.query(
          READ_POINTS_JDBC,
          List.of(id, from, to),
          row -> {
            long time = row.getLong(1);
            double value = row.getDouble(2);
            return new Bucket(time, 1, value, value, value, value, time);
          });
    }
    return reader
        .preparedQuery(dialect.sql(READ_POINTS))
        .execute(Tuple.of(id, from, to))
        .map(
            rows -> {
              List<Bucket> points = new ArrayList<>(rows.size());
              for (Row row : rows) {
                long time = row.getLong("time");
                double value = row.getDouble("value");
                points.add(new Bucket(time, 1, value, value, value, value, time));
              }
              return points;
            });
  }

  private Future<List<Bucket>> readBuckets(long id, Tier tier, long from, long to) {
    if (bulk != null) {
      return bulk.query(
          READ_BUCKETS_JDBC,
          List.of(tier.name(), id, from, to),
          row ->
              new Bucket(
                  row.getLong(1),
                  row.getLong(2),
                  row.getDouble(3),
                  row.getDouble(4),
                  row.getDouble(5),
                  row.getDouble(6),
                  row.getLong(7)));
    }
    return reader
        .preparedQuery(dialect.sql(READ_BUCKETS))
        .execute(Tuple.of(tier.name(), id, from, to))
        .map(
            rows -> {
              List<Bucket> buckets = new ArrayList<>(rows.size());
              for (Row row : rows) {
                buckets.add(
                    new Bucket(
                        row.getLong("start"),
                        row.getLong("count"),
                        row.getDouble("sum"),
                        row.getDouble("min"),
                        row.getDouble("max"),
                        row.getDouble("last"),
                        row.getLong("last_time")));
              }
              return buckets;
            });
  }

  @Override
  public Future<Integer> purge(
      Tier tier, long before, Collection<String> names, boolean only, int limit) {
    if (only && names.isEmpty()) {
      return Future.succeededFuture(0);
    }
    List<Object> values = new ArrayList<>();
    StringBuilder select = new StringBuilder();
    if (tier.isRaw()) {
      select.append("SELECT series_id, time FROM metric_points WHERE time < $1");
      values.add(before);
    } else {
      select.append(
          "SELECT tier, series_id, start FROM metric_buckets WHERE tier = $1 AND start < $2");
      values.add(tier.name());
      values.add(before);
    }
    if (!names.isEmpty()) {
      select.append(only ? " AND series_id IN" : " AND series_id NOT IN");
      select.append(" (SELECT id FROM metric_series WHERE name IN (");
      for (String name : names) {
        values.add(name);
        select.append(values.size() == (tier.isRaw() ? 2 : 3) ? "$" : ", $").append(values.size());
      }
      select.append("))");
    }
    values.add(limit);
    select.append(" LIMIT $").append(values.size());
    String sql =
        tier.isRaw()
            ? "DELETE FROM metric_points WHERE (series_id, time) IN (" + select + ")"
            : "DELETE FROM metric_buckets WHERE (tier, series_id, start) IN (" + select + ")";
    return writer
        .preparedQuery(dialect.sql(sql))
        .execute(Tuple.from(values))
        .map(rows -> rows.rowCount())
        .recover(failure("delete expired metrics"));
  }

  @Override
  public Future<List<SeriesKey>> series() {
    return reader
        .query("SELECT key FROM metric_series ORDER BY key")
        .execute()
        .map(
            rows -> {
              List<SeriesKey> all = new ArrayList<>(rows.size());
              rows.forEach(row -> all.add(SeriesKey.parse(row.getString("key"))));
              return all;
            })
        .recover(failure("list metric series"));
  }
}
