package dev.homelab.client.metrics;

import dev.homelab.client.internal.JsonFields;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;

/**
 * An automation's collected counts over a period, as {@code GET /api/metrics/automation/{name}}
 * answers (seed 003's shape): one row per bucket, each count the last the automation API reported
 * in the bucket (it counts since the automation's container started).
 *
 * @param automationName the automation's name
 * @param period the period asked for, or {@code null} for a range
 * @param from the range's start
 * @param to the range's end, exclusive
 * @param tier the tier the rows come from
 * @param intervalSeconds seconds between rows
 * @param rows the rows, oldest first
 */
public record AutomationMetrics(
    String automationName,
    String period,
    Instant from,
    Instant to,
    String tier,
    long intervalSeconds,
    List<Row> rows) {

  /**
   * One bucket. A count is {@code null} when it has no point in the bucket.
   *
   * @param timestamp the bucket's start (whole seconds)
   * @param triggersCount how often the automation had triggered
   * @param errorsCount how many errors it had had
   */
  public record Row(Instant timestamp, Double triggersCount, Double errorsCount) {}

  /**
   * @param json the server's JSON
   * @return the metrics
   */
  public static AutomationMetrics fromJson(JsonObject json) {
    List<Row> rows =
        HistoryRows.read(
            json,
            (timestamp, r) ->
                new Row(timestamp, r.getDouble("triggers_count"), r.getDouble("errors_count")));
    return new AutomationMetrics(
        json.getString("automation_name"),
        json.getString("period"),
        JsonFields.instant(json, "from"),
        JsonFields.instant(json, "to"),
        json.getString("tier"),
        json.getLong("interval", 0L),
        rows);
  }
}
