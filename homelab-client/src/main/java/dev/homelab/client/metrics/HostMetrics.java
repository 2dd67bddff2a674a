package dev.homelab.client.metrics;

import dev.homelab.client.internal.JsonFields;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;

/**
 * The host's metrics over a period, as {@code GET /api/metrics/host} answers (seed 003's shape):
 * one row per bucket, each column the bucket's average.
 *
 * @param period the period asked for, or {@code null} for a range
 * @param from the range's start
 * @param to the range's end, exclusive
 * @param tier the tier the rows come from
 * @param intervalSeconds seconds between rows
 * @param rows the rows, oldest first
 */
public record HostMetrics(
    String period, Instant from, Instant to, String tier, long intervalSeconds, List<Row> rows) {

  /**
   * One bucket. A column is {@code null} when its series has no point in the bucket.
   *
   * @param timestamp the bucket's start (whole seconds)
   * @param cpuPercent CPU use, 0 to 100
   * @param ramUsed memory in use, bytes
   * @param ramTotal memory in all, bytes
   * @param ramPercent memory in use, 0 to 100
   * @param swapUsed swap in use, bytes
   * @param load1 the 1-minute load average
   * @param netRx bytes received per second, all interfaces but loopback
   * @param netTx bytes sent per second, all interfaces but loopback
   */
  public record Row(
      Instant timestamp,
      Double cpuPercent,
      Double ramUsed,
      Double ramTotal,
      Double ramPercent,
      Double swapUsed,
      Double load1,
      Double netRx,
      Double netTx) {}

  /**
   * @param json the server's JSON
   * @return the metrics
   */
  public static HostMetrics fromJson(JsonObject json) {
    List<Row> rows =
        HistoryRows.read(
            json,
            (timestamp, r) ->
                new Row(
                    timestamp,
                    r.getDouble("cpu_percent"),
                    r.getDouble("ram_used"),
                    r.getDouble("ram_total"),
                    r.getDouble("ram_percent"),
                    r.getDouble("swap_used"),
                    r.getDouble("load_1"),
                    r.getDouble("net_rx"),
                    r.getDouble("net_tx")));
    return new HostMetrics(
        json.getString("period"),
        JsonFields.instant(json, "from"),
        JsonFields.instant(json, "to"),
        json.getString("tier"),
        json.getLong("interval", 0L),
        rows);
  }
}
