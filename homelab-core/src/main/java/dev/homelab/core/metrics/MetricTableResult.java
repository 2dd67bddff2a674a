package dev.homelab.core.metrics;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The answer to a {@link MetricTableQuery}: one row per bucket of the tier read in which at least
 * one column has a value, oldest first.
 *
 * @param table the table read
 * @param range the range asked for
 * @param tier the tier the rows come from
 * @param rows the rows, oldest first; unmodifiable
 */
public record MetricTableResult(MetricTable table, TimeRange range, Tier tier, List<Row> rows) {

  /** Copies the rows. */
  public MetricTableResult {
    rows = List.copyOf(rows);
  }

  /**
   * One bucket of the table.
   *
   * @param timestamp the bucket's start, in whole seconds since the epoch (as the API sends it)
   * @param values each column that has a value in this bucket, in the table's column order; a
   *     column none of whose series has a point in the bucket is absent; unmodifiable
   */
  public record Row(long timestamp, Map<String, Double> values) {

    /** Copies the values, keeping their order. */
    public Row {
      values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    /**
     * @param column a column's name
     * @return its value in this bucket, or {@code null} when none of its series has a point here
     */
    public Double value(String column) {
      return values.get(column);
    }

    /**
     * @return the row as the API sends it: {@code timestamp} (seconds), then each column that has a
     *     value
     */
    public JsonObject toJson() {
      JsonObject json = new JsonObject().put("timestamp", timestamp);
      values.forEach(json::put);
      return json;
    }
  }

  /**
   * @return the rows as the API sends them, under {@code data} in seed 003's shape
   */
  public JsonArray rowsJson() {
    JsonArray data = new JsonArray();
    rows.forEach(row -> data.add(row.toJson()));
    return data;
  }
}
