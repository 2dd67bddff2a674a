package dev.homelab.client.metrics;

import dev.homelab.client.internal.JsonFields;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;

/**
 * A Proxmox guest's collected metrics over a period, as {@code GET
 * /api/metrics/vm/{server_id}/{vmid}} answers (seed 003's shape): one row per bucket, each column
 * the bucket's average. A stopped guest's rows have CPU and memory in use at 0.
 *
 * @param serverId the server's id
 * @param vmid the guest's id
 * @param period the period asked for, or {@code null} for a range
 * @param from the range's start
 * @param to the range's end, exclusive
 * @param tier the tier the rows come from
 * @param intervalSeconds seconds between rows
 * @param rows the rows, oldest first
 */
public record GuestMetrics(
    String serverId,
    long vmid,
    String period,
    Instant from,
    Instant to,
    String tier,
    long intervalSeconds,
    List<Row> rows) {

  /**
   * One bucket. A column is {@code null} when it has no point in the bucket.
   *
   * @param timestamp the bucket's start (whole seconds)
   * @param cpuPercent the guest's CPU use, 0 to 100 of its virtual CPUs
   * @param ramUsed memory in use, bytes
   * @param ramTotal memory in all, bytes
   */
  public record Row(Instant timestamp, Double cpuPercent, Double ramUsed, Double ramTotal) {}

  /**
   * @param json the server's JSON
   * @return the metrics
   */
  public static GuestMetrics fromJson(JsonObject json) {
    List<Row> rows =
        HistoryRows.read(
            json,
            (timestamp, r) ->
                new Row(
                    timestamp,
                    r.getDouble("cpu_percent"),
                    r.getDouble("ram_used"),
                    r.getDouble("ram_total")));
    return new GuestMetrics(
        json.getString("server_id"),
        json.getLong("vmid", 0L),
        json.getString("period"),
        JsonFields.instant(json, "from"),
        JsonFields.instant(json, "to"),
        json.getString("tier"),
        json.getLong("interval", 0L),
        rows);
  }
}
