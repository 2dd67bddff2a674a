package dev.homelab.examples;

import dev.homelab.core.metrics.Downsampler;
import dev.homelab.core.metrics.DownsamplerOptions;
import dev.homelab.core.metrics.MetricRepository;
import dev.homelab.core.metrics.MetricTable;
import dev.homelab.core.metrics.MetricTable.Column;
import dev.homelab.core.metrics.MetricTable.Combine;
import dev.homelab.core.metrics.MetricTable.Statistic;
import dev.homelab.core.metrics.MetricTableQuery;
import dev.homelab.core.metrics.MetricTableResult;
import dev.homelab.core.metrics.Period;
import dev.homelab.core.metrics.Point;
import dev.homelab.core.metrics.SeriesKey;
import dev.homelab.core.metrics.SeriesSelector;
import dev.homelab.core.metrics.TimeRange;
import dev.homelab.examples.DownsamplerExample.ManualClock;
import io.vertx.core.Vertx;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads several series as one table, the shape of the metrics API's history answers: a rack's
 * outlets summed (but the lab bench's), its hottest sensor and its UPS load, one row per bucket,
 * over three hours of synthetic readings written against a clock moved by hand.
 */
public final class MetricTableExample {

  private MetricTableExample() {}

  public static void main(String[] args) {
    Vertx vertx = Vertx.vertx();
    try {
      // History starts at a fixed time, so the example prints the same every run.
      run(vertx, new ManualClock(Instant.parse("2026-03-04T06:00:00Z")))
          .forEach(System.out::println);
    } finally {
      vertx.close().await();
    }
  }

  /**
   * Defines a table, writes its series, rolls up and reads the table twice. Waits with {@code
   * await()}: call it from a plain or a virtual thread, never from an event loop.
   *
   * @param vertx the Vert.x instance
   * @param clock the downsampler's clock, at the start of the history; moved three hours on
   * @return what the example found
   */
  static List<String> run(Vertx vertx, ManualClock clock) {
    List<String> out = new ArrayList<>();
    // snippet:metric-table
    // Defined once, for example as a constant: the power of every outlet but the lab bench's added
    // up, the hottest sensor's highest reading, and the UPS load. Reductions follow the power.
    MetricTable rack =
        MetricTable.builder()
            .column(
                "power",
                SeriesSelector.named("rack.power").withoutTag("outlet", "bench"),
                Combine.SUM)
            .column(
                new Column(
                    "hottest",
                    SeriesSelector.named("rack.temperature"),
                    Statistic.MAX,
                    Combine.MAX))
            .column("ups_load", SeriesKey.of("rack.ups.load"))
            .primary("power")
            .build();

    Downsampler downsampler =
        Downsampler.create(vertx, MetricRepository.inMemory(), new DownsamplerOptions(), clock);
    try {
      Instant start = clock.instant();
      for (int s = 0; s < 3 * 3600; s += 10) {
        Instant t = clock.set(start.plusSeconds(s));
        double backup = s % 3600 < 300 ? 60 : 0; // the NAS backs up for 5 minutes every hour
        List<Point> points = new ArrayList<>();
        points.add(Point.of(outlet("nas"), t, 40 + backup));
        points.add(Point.of(outlet("router"), t, 12));
        points.add(Point.of(outlet("bench"), t, 300));
        points.add(Point.of(sensor("top"), t, 30 + s % 600 / 60));
        points.add(Point.of(sensor("bottom"), t, 25));
        if (s >= 2 * 3600) { // the UPS was plugged in at the third hour
          points.add(Point.of(SeriesKey.of("rack.ups.load"), t, 35));
        }
        downsampler.write(points).await();
      }
      downsampler.rollUp().await();

      // The last 6 hours come from the 1m tier; LTTB keeps 8 rows, the three backups among them.
      MetricTableResult chart =
          downsampler
              .query(
                  MetricTableQuery.last(rack, Period.SIX_HOURS, clock.instant()).withMaxPoints(8))
              .await();
      out.add("tier " + chart.tier().name() + ", " + chart.rows().size() + " rows:");
      chart.rows().forEach(row -> out.add("  " + row.toJson().encode()));

      // A range as the API takes it (period, or from and to), on the tier asked for. A column
      // none of whose series has a point in a bucket has no value there.
      TimeRange range = TimeRange.resolve(null, start, start.plusSeconds(3 * 3600), clock);
      MetricTableResult hours =
          downsampler.query(MetricTableQuery.of(rack, range).onTier("1h")).await();
      for (MetricTableResult.Row row : hours.rows()) {
        out.add(
            String.format(
                Locale.ROOT,
                "%s power %.2f W, hottest %.0f C, UPS %s",
                Instant.ofEpochSecond(row.timestamp()).atOffset(ZoneOffset.UTC).toLocalTime(),
                row.value("power"),
                row.value("hottest"),
                row.value("ups_load")));
      }
    } finally {
      downsampler.close().await();
    }
    // end:metric-table
    return out;
  }

  private static SeriesKey outlet(String name) {
    return SeriesKey.of("rack.power", Map.of("outlet", name));
  }

  private static SeriesKey sensor(String name) {
    return SeriesKey.of("rack.temperature", Map.of("sensor", name));
  }
}
