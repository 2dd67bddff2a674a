package dev.homelab.benchmarks.load;

import dev.homelab.benchmarks.MovingClock;
import dev.homelab.core.metrics.Downsampler;
import dev.homelab.core.metrics.DownsamplerOptions;
import dev.homelab.core.metrics.MetricQuery;
import dev.homelab.core.metrics.Period;
import dev.homelab.core.metrics.Point;
import dev.homelab.core.metrics.SeriesKey;
import dev.homelab.core.store.Storage;
import dev.homelab.core.store.StorageOptions;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * The metrics store path on a real database: loads {@code --days} of points every {@code --step}
 * seconds for {@code --series} series through a {@link Downsampler} with roll-ups and retention on
 * (points/s), then times queries of 24h at 1m and 30d at 30m (p50/p99), and as the baseline in the
 * same run a query of one hour of raw points.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.homelab.benchmarks.load.MetricStoreLoad \
 *     [--pg postgres://postgres@127.0.0.1:5432/metrics_load | --sqlite FILE] [--days 30] \
 *     [--series 20] [--reuse true]
 * </pre>
 *
 * <p>With {@code --reuse true} a store that already holds the data of an earlier run with the same
 * options is queried without loading it again, to compare query paths.
 *
 * <pre>
 * </pre>
 */
public final class MetricStoreLoad {

  /** How often, in simulated time, the driver vacuums PostgreSQL's metric tables. */
  static final long VACUUM_EVERY_MS = Duration.ofHours(6).toMillis();

  private MetricStoreLoad() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> options = new HashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      options.put(args[i].replaceFirst("^--", ""), args[i + 1]);
    }
    int days = Integer.parseInt(options.getOrDefault("days", "30"));
    int seriesCount = Integer.parseInt(options.getOrDefault("series", "20"));
    int step = Integer.parseInt(options.getOrDefault("step", "10"));
    int queries = Integer.parseInt(options.getOrDefault("queries", "500"));
    String pg = options.get("pg");
    boolean reuse = Boolean.parseBoolean(options.getOrDefault("reuse", "false"));
    String sqlite =
        options.getOrDefault(
            "sqlite",
            Files.createTempDirectory("homelab-metrics-load").resolve("metrics.db").toString());
    StorageOptions storageOptions =
        pg != null ? StorageOptions.fromUri(pg) : new StorageOptions().setSqlitePath(sqlite);
    Vertx vertx = Vertx.vertx();
    Storage storage = Storage.open(vertx, storageOptions).await();
    try {
      long start = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();
      MovingClock clock = new MovingClock(start);
      Downsampler downsampler =
          Downsampler.create(vertx, storage.metrics(), new DownsamplerOptions(), clock);
      downsampler.start().await();
      List<SeriesKey> series = new ArrayList<>();
      for (int s = 0; s < seriesCount; s++) {
        series.add(SeriesKey.of("load.value", Map.of("n", Integer.toString(s))));
      }
      SplittableRandom random = new SplittableRandom(1);
      long end = start + Duration.ofDays(days).toMillis();
      if (reuse && !storage.metrics().series().await().isEmpty()) {
        System.out.printf("Querying the data already in %s%n", storage.kind().label());
        clock.set(end);
        queries(downsampler, series, clock, queries);
        return;
      }
      long stepMillis = step * 1000L;
      long written = 0;
      long began = System.nanoTime();
      long nextRollup = start + 10_000;
      long nextRetention = start + 60_000;
      long nextVacuum = start + VACUUM_EVERY_MS;
      java.sql.Connection jdbc = pg == null ? null : PostgresUrl.connect(pg);
      System.out.printf(
          "Loading %d days of %d series every %d s into %s%n",
          days, seriesCount, step, storage.kind().label());
      // Written as collectors would: one batch of every series per step, roll-ups every 10 s and
      // retention every minute of simulated time, as a started downsampler does in real time.
      List<Point> batch = new ArrayList<>(seriesCount * 6);
      for (long t = start; t < end; t += stepMillis) {
        for (SeriesKey key : series) {
          batch.add(new Point(key, t, random.nextInt(100_000) / 100.0));
        }
        clock.set(t);
        if (batch.size() >= seriesCount * 6 || t + stepMillis >= end) {
          written += downsampler.write(batch).await().stored();
          batch.clear();
        }
        if (t >= nextRollup) {
          downsampler.rollUp().await();
          nextRollup = t + 10_000;
        }
        if (t >= nextRetention) {
          downsampler.enforceRetention().await();
          nextRetention = t + 60_000;
        }
        if (jdbc != null && t >= nextVacuum) {
          // What autovacuum does on a default PostgreSQL; this machine's runs with it off.
          try (java.sql.Statement vacuum = jdbc.createStatement()) {
            vacuum.execute("VACUUM (ANALYZE) metric_points, metric_buckets");
          }
          nextVacuum = t + VACUUM_EVERY_MS;
        }
      }
      clock.set(end);
      downsampler.rollUp().await();
      if (jdbc != null) {
        jdbc.close();
      }
      double seconds = (System.nanoTime() - began) / 1e9;
      System.out.printf(
          Locale.ROOT,
          "Loaded %,d points in %.1f s: %,.0f points/s with roll-ups and retention on%n",
          written,
          seconds,
          written / seconds);

      queries(downsampler, series, clock, queries);
    } finally {
      storage.close().await();
      vertx.close().await();
    }
  }

  private static void queries(
      Downsampler downsampler, List<SeriesKey> series, Clock clock, int queries) {
    System.out.println();
    System.out.println("| query | tier | buckets | p50 ms | p90 ms | p99 ms | max ms |");
    System.out.println("|---|---|---|---|---|---|---|");
    time(downsampler, series, clock, Period.HOUR, queries, "1h (raw, baseline)");
    time(downsampler, series, clock, Period.DAY, queries, "24h");
    time(downsampler, series, clock, Period.MONTH, queries, "30d");
    downsampler.close().await();
  }

  private static void time(
      Downsampler downsampler,
      List<SeriesKey> series,
      Clock clock,
      Period period,
      int queries,
      String name) {
    Histogram latency = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
    int buckets = 0;
    String tier = "";
    for (int i = 0; i < queries + 50; i++) {
      SeriesKey key = series.get(i % series.size());
      long t0 = System.nanoTime();
      var answer = downsampler.query(MetricQuery.last(key, period, clock.instant())).await();
      long took = System.nanoTime() - t0;
      if (i >= 50) { // the first 50 warm the JIT and the caches
        latency.recordValue(took);
      }
      buckets = answer.buckets().size();
      tier = answer.tier().name();
    }
    System.out.printf(
        Locale.ROOT,
        "| %s | %s | %d | %.2f | %.2f | %.2f | %.2f |%n",
        name,
        tier,
        buckets,
        latency.getValueAtPercentile(50) / 1e6,
        latency.getValueAtPercentile(90) / 1e6,
        latency.getValueAtPercentile(99) / 1e6,
        latency.getMaxValue() / 1e6);
  }
}
