package dev.homelab.client.sensors;

import dev.homelab.client.internal.JsonFields;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A device's sensor history: one row per bucket of the tier read, each field's average there.
 *
 * @param deviceId the device
 * @param period the period asked for, or {@code null} for a range
 * @param from the range's start
 * @param to the range's end, exclusive
 * @param tier the tier read, such as {@code raw} or {@code 1m}
 * @param interval the tier's bucket in seconds, or {@code null} for raw points
 * @param fields the fields read
 * @param data the rows, oldest first
 */
public record SensorHistory(
    String deviceId,
    String period,
    Instant from,
    Instant to,
    String tier,
    Long interval,
    List<String> fields,
    List<Row> data) {

  /** Copies the lists. */
  public SensorHistory {
    fields = List.copyOf(fields);
    data = List.copyOf(data);
  }

  /**
   * One bucket.
   *
   * @param timestamp the bucket's start, in seconds since the epoch
   * @param values each field with a value in the bucket; unmodifiable
   */
  public record Row(long timestamp, Map<String, Double> values) {

    /** Copies the values, keeping their order. */
    public Row {
      values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    /**
     * @param field a field
     * @return its value in this bucket, or {@code null}
     */
    public Double value(String field) {
      return values.get(field);
    }
  }

  /**
   * @param json the server's answer
   * @return the record
   */
  public static SensorHistory fromJson(JsonObject json) {
    List<String> fields = new ArrayList<>();
    json.getJsonArray("fields").forEach(f -> fields.add((String) f));
    List<Row> rows = new ArrayList<>();
    JsonArray data = json.getJsonArray("data");
    for (int i = 0; i < data.size(); i++) {
      JsonObject row = data.getJsonObject(i);
      Map<String, Double> values = new LinkedHashMap<>();
      for (Map.Entry<String, Object> field : row) {
        if (!field.getKey().equals("timestamp")) {
          values.put(field.getKey(), ((Number) field.getValue()).doubleValue());
        }
      }
      rows.add(new Row(row.getLong("timestamp"), values));
    }
    return new SensorHistory(
        json.getString("device_id"),
        json.getString("period"),
        JsonFields.instant(json, "from"),
        JsonFields.instant(json, "to"),
        json.getString("tier"),
        json.getLong("interval"),
        fields,
        rows);
  }
}
