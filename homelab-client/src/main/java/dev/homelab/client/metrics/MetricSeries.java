package dev.homelab.client.metrics;

import dev.homelab.client.internal.JsonFields;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One series as {@code GET /api/metrics/query} answers: buckets of one tier, each with count, sum,
 * min, max, last and average.
 *
 * @param series the series' canonical key
 * @param period the period asked for, or {@code null} for a range
 * @param from the range's start
 * @param to the range's end, exclusive
 * @param tier the tier the buckets come from
 * @param intervalSeconds the tier's bucket width, or {@code null} for raw points
 * @param points the buckets, oldest first
 */
public record MetricSeries(
    String series,
    String period,
    Instant from,
    Instant to,
    String tier,
    Long intervalSeconds,
    List<Point> points) {

  /**
   * @param timestamp the bucket's start (whole seconds)
   * @param avg the average
   * @param min the smallest value
   * @param max the largest value
   * @param last the latest value
   * @param count how many points
   * @param sum their sum
   */
  public record Point(
      Instant timestamp, double avg, double min, double max, double last, long count, double sum) {}

  /**
   * @param json the server's JSON
   * @return the series
   */
  public static MetricSeries fromJson(JsonObject json) {
    List<Point> points = new ArrayList<>();
    for (Object o : json.getJsonArray("data", new JsonArray())) {
      JsonObject p = (JsonObject) o;
      points.add(
          new Point(
              Instant.ofEpochSecond(p.getLong("timestamp")),
              JsonFields.number(p, "avg"),
              JsonFields.number(p, "min"),
              JsonFields.number(p, "max"),
              JsonFields.number(p, "last"),
              p.getLong("count", 0L),
              JsonFields.number(p, "sum")));
    }
    return new MetricSeries(
        json.getString("series"),
        json.getString("period"),
        JsonFields.instant(json, "from"),
        JsonFields.instant(json, "to"),
        json.getString("tier"),
        json.getLong("interval"),
        List.copyOf(points));
  }
}
