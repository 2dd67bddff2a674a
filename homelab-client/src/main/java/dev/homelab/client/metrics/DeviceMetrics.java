package dev.homelab.client.metrics;

import dev.homelab.client.internal.JsonFields;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A device's recorded state history over a period, as {@code GET /api/metrics/device/{topic}}
 * answers (seed 003's shape, {@code data} of {@code {timestamp, state}}, plus its availability, its
 * numeric fields' series and what zigbee2mqtt says of it).
 *
 * @param topic the device's MQTT topic
 * @param period the period asked for, or {@code null} for a range
 * @param from the range's start
 * @param to the range's end, exclusive
 * @param states the state changes in the range, oldest first
 * @param availability the availability changes in the range, oldest first
 * @param truncated whether older changes of the range were left out
 * @param tier the tier the series rows come from, or {@code null} without series
 * @param intervalSeconds seconds between series rows, or {@code null} (raw points, or no series)
 * @param series the numeric fields, one row per bucket, oldest first
 * @param device what zigbee2mqtt's {@code bridge/devices} says of the device, or {@code null}
 */
public record DeviceMetrics(
    String topic,
    String period,
    Instant from,
    Instant to,
    List<Change> states,
    List<Change> availability,
    boolean truncated,
    String tier,
    Long intervalSeconds,
    List<Row> series,
    Device device) {

  /**
   * One recorded change.
   *
   * @param timestamp when it was heard, whole seconds (seed 003's {@code timestamp})
   * @param time when it was heard, to the millisecond
   * @param state the state as the device published it; {@code {"state":"online"}} or {@code
   *     {"state":"offline"}} for availability
   */
  public record Change(Instant timestamp, Instant time, JsonObject state) {

    static Change fromJson(JsonObject json) {
      return new Change(
          Instant.ofEpochSecond(json.getLong("timestamp")),
          JsonFields.instant(json, "time"),
          json.getJsonObject("state").copy());
    }
  }

  /**
   * One bucket of the numeric fields.
   *
   * @param timestamp the bucket's start (whole seconds)
   * @param values each field with a point in the bucket ({@code temperature}, {@code linkquality},
   *     {@code contact} as 1/0, {@code available} as 1/0...), its average over the bucket
   */
  public record Row(Instant timestamp, Map<String, Double> values) {

    /**
     * @param field a field's name
     * @return its value in this bucket, or {@code null}
     */
    public Double value(String field) {
      return values.get(field);
    }
  }

  /**
   * A device as zigbee2mqtt's bridge describes it.
   *
   * @param friendlyName its friendly name
   * @param ieeeAddress its IEEE address, or {@code null}
   * @param type {@code Router}, {@code EndDevice}..., or {@code null}
   * @param vendor its vendor, or {@code null}
   * @param model its model, or {@code null}
   * @param description what it is, or {@code null}
   * @param powerSource its power source, or {@code null}
   * @param disabled whether it is disabled in zigbee2mqtt
   */
  public record Device(
      String friendlyName,
      String ieeeAddress,
      String type,
      String vendor,
      String model,
      String description,
      String powerSource,
      boolean disabled) {

    static Device fromJson(JsonObject json) {
      return json == null
          ? null
          : new Device(
              json.getString("friendly_name"),
              json.getString("ieee_address"),
              json.getString("type"),
              json.getString("vendor"),
              json.getString("model"),
              json.getString("description"),
              json.getString("power_source"),
              json.getBoolean("disabled", false));
    }
  }

  /**
   * @return the newest state change of the range, or {@code null} if none
   */
  public Change latest() {
    return states.isEmpty() ? null : states.get(states.size() - 1);
  }

  /**
   * @param json the server's JSON
   * @return the history
   */
  public static DeviceMetrics fromJson(JsonObject json) {
    List<Row> rows =
        HistoryRows.read(
            new JsonObject().put("data", json.getJsonArray("series", new JsonArray())),
            (timestamp, r) -> {
              Map<String, Double> values = new LinkedHashMap<>();
              for (String field : r.fieldNames()) {
                if (!field.equals("timestamp") && r.getValue(field) instanceof Number n) {
                  values.put(field, n.doubleValue());
                }
              }
              return new Row(timestamp, java.util.Collections.unmodifiableMap(values));
            });
    return new DeviceMetrics(
        json.getString("topic"),
        json.getString("period"),
        JsonFields.instant(json, "from"),
        JsonFields.instant(json, "to"),
        changes(json.getJsonArray("data")),
        changes(json.getJsonArray("availability")),
        json.getBoolean("truncated", false),
        json.getString("tier"),
        json.getLong("interval"),
        rows,
        Device.fromJson(json.getJsonObject("device")));
  }

  private static List<Change> changes(JsonArray array) {
    List<Change> changes = new ArrayList<>();
    if (array != null) {
      array.forEach(o -> changes.add(Change.fromJson((JsonObject) o)));
    }
    return List.copyOf(changes);
  }
}
