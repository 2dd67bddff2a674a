package dev.homelab.examples;

import dev.homelab.core.metrics.Bucket;
import dev.homelab.core.metrics.CollectorScheduler;
import dev.homelab.core.metrics.CollectorStats;
import dev.homelab.core.metrics.Downsampler;
import dev.homelab.core.metrics.DownsamplerOptions;
import dev.homelab.core.metrics.Lttb;
import dev.homelab.core.metrics.MetricQuery;
import dev.homelab.core.metrics.MetricRepository;
import dev.homelab.core.metrics.MetricSeries;
import dev.homelab.core.metrics.Period;
import dev.homelab.core.metrics.Point;
import dev.homelab.core.metrics.SeriesKey;
import dev.homelab.core.metrics.WriteResult;
import dev.homelab.core.monitor.HostCollector;
import dev.homelab.core.monitor.HostMonitor;
import dev.homelab.core.monitor.HostSnapshot;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;
import java.util.concurrent.TimeUnit;

/**
 * Embeds the metrics downsampler in a plain Vert.x app, with no database: three hours of synthetic
 * readings written against a clock moved by hand, rolled up into the 1-minute, 5-minute, 30-minute
 * and 1-hour tiers, and read back from the finest tier that covers a day, whole or reduced with
 * LTTB. Then samples the host it runs on, and collects it into a second downsampler for a couple of
 * seconds.
 */
public final class DownsamplerExample {

  private DownsamplerExample() {}

  public static void main(String[] args) {
    Vertx vertx = Vertx.vertx();
    try {
      // History starts at a fixed time, so the first part prints the same every run.
      ManualClock clock = new ManualClock(Instant.parse("2026-03-04T06:00:00Z"));
      run(vertx, clock).forEach(System.out::println);
      monitorHost(vertx, Duration.ofSeconds(3)).forEach(System.out::println);
      reduceArrays().forEach(System.out::println);
    } finally {
      vertx.close().await();
    }
  }

  /**
   * Writes, rolls up and queries. Waits for each step with {@code await()}, to read top to bottom:
   * call it from a plain or a virtual thread, never from an event loop.
   *
   * @param vertx the Vert.x instance
   * @param clock the downsampler's clock, at the start of the history; moved three hours on
   * @return what the example found
   */
  static List<String> run(Vertx vertx, ManualClock clock) {
    List<String> out = new ArrayList<>();
    // snippet:downsampler
    Downsampler downsampler =
        Downsampler.create(vertx, MetricRepository.inMemory(), new DownsamplerOptions(), clock);
    SeriesKey garage = SeriesKey.of("room.temperature", Map.of("room", "garage"));
    SeriesKey rack = SeriesKey.of("rack.power");
    try {
      // Three hours of readings every 10 s, written as the clock moves: a point is accepted only
      // within the lateness (2 minutes by default) of the downsampler's clock.
      Instant start = clock.instant();
      for (int s = 0; s < 3 * 3600; s += 10) {
        Instant t = clock.set(start.plusSeconds(s));
        double celsius = 18 + 4 * Math.sin(Math.PI * s / 7200);
        double watts = s % 600 == 0 ? 200 : 120; // a spike every 10 minutes
        downsampler.write(List.of(Point.of(garage, t, celsius), Point.of(rack, t, watts))).await();
      }
      Instant now = clock.instant();
      WriteResult again = downsampler.write(Point.of(rack, now, 0)).await(); // same millisecond
      WriteResult late = downsampler.write(Point.of(rack, now.minusSeconds(600), 0)).await();
      out.add("again: " + again + ", late: " + late);

      // start() would roll up every 10 s and enforce retention every minute; here, by hand.
      int buckets = downsampler.rollUp().await();
      out.add("rolled up " + buckets + " buckets, up to " + times(downsampler.watermarks()));

      // The finest tier that covers the last 24 hours is 1m; the open buckets (after the
      // watermark) are computed from the raw points, so the answer is exact up to the last point.
      MetricSeries day = downsampler.query(MetricQuery.last(garage, Period.DAY, now)).await();
      MetricSeries chart =
          downsampler.query(MetricQuery.last(garage, Period.DAY, now).withMaxPoints(12)).await();
      out.add(
          "%s, %s: tier %s, %d buckets, %d with max_points 12"
              .formatted(
                  garage,
                  Period.DAY.text(),
                  day.tier().name(),
                  day.buckets().size(),
                  chart.buckets().size()));
      day.buckets().subList(0, 2).forEach(b -> out.add("  " + describe(b)));

      // Any tier may be asked for: every hour keeps the exact average and the spikes.
      MetricSeries hours =
          downsampler.query(MetricQuery.last(rack, Period.SIX_HOURS, now).onTier("1h")).await();
      hours.buckets().forEach(b -> out.add(rack + " " + describe(b)));
    } finally {
      downsampler.close().await();
    }
    // end:downsampler
    return out;
  }

  /**
   * Samples the host once, then collects it every second into a downsampler on the system clock
   * (snapshots carry the real time) for a while.
   *
   * @param vertx the Vert.x instance
   * @param collectFor how long to collect
   * @return what the example found
   */
  static List<String> monitorHost(Vertx vertx, Duration collectFor) {
    List<String> out = new ArrayList<>();
    // snippet:host-monitor
    HostMonitor monitor = HostMonitor.create(vertx); // needs com.github.oshi:oshi-core
    Downsampler live = Downsampler.create(vertx, MetricRepository.inMemory());
    CollectorScheduler collectors = CollectorScheduler.create(vertx, live);
    try {
      HostSnapshot host = monitor.sample().await(); // CPU use since the monitor was created
      out.add(
          String.format(
              Locale.ROOT,
              "%s: CPU %.1f %% on %d cores, memory %.1f %% of %d MiB",
              host.hostname(),
              host.cpu().percent(),
              host.cpu().perCore().size(),
              host.memory().percent(),
              host.memory().total() >> 20));

      // Runs at once, then every second; the listener sees each snapshot (the server publishes
      // it as host.metrics), the points go to the downsampler.
      collectors.add(
          new HostCollector(
              monitor,
              Duration.ofSeconds(1),
              snapshot ->
                  System.out.printf(
                      Locale.ROOT, "host.metrics: CPU %.1f %%%n", snapshot.cpu().percent())));
      vertx.timer(collectFor.toMillis(), TimeUnit.MILLISECONDS).await();

      CollectorStats stats = collectors.stats().get("host");
      out.add(
          "collector host: %d successes, %d failures, %d retries"
              .formatted(stats.successes(), stats.failures(), stats.retries()));
      SeriesKey cpu = SeriesKey.of("host.cpu.percent");
      MetricSeries recent = live.query(MetricQuery.last(cpu, Period.HOUR, Instant.now())).await();
      out.add(
          "%s: tier %s, %d points".formatted(cpu, recent.tier().name(), recent.buckets().size()));
    } finally {
      collectors.close().await();
      live.close().await();
      monitor.close().await();
    }
    // end:host-monitor
    return out;
  }

  /**
   * LTTB on points an app holds as two arrays, without buckets or a downsampler.
   *
   * @return what the example found
   */
  static List<String> reduceArrays() {
    // snippet:lttb-arrays
    // A day of one-second readings, a slow wave with a spike at noon, reduced for a 500 px chart.
    int n = 86_400;
    long[] times = new long[n];
    double[] values = new double[n];
    for (int i = 0; i < n; i++) {
      times[i] = 1_767_225_600_000L + i * 1_000L;
      values[i] = 20 + 5 * Math.sin(i * 2 * Math.PI / n) + (i == n / 2 ? 40 : 0);
    }
    int[] kept = Lttb.indices(times, values, 500);
    boolean spikeKept = Arrays.stream(kept).anyMatch(i -> i == n / 2);
    // end:lttb-arrays
    return List.of(
        "kept %d of %d points, first %d, last %d, the spike %s"
            .formatted(
                kept.length, n, kept[0], kept[kept.length - 1], spikeKept ? "kept" : "lost"));
  }

  /** A bucket's start (UTC), average, extremes and count. */
  private static String describe(Bucket b) {
    return String.format(
        Locale.ROOT,
        "%s avg %.2f min %.2f max %.2f count %d",
        Instant.ofEpochMilli(b.start()).atOffset(ZoneOffset.UTC).toLocalTime(),
        b.avg(),
        b.min(),
        b.max(),
        b.count());
  }

  /** Watermarks as times of day (UTC). */
  private static String times(Map<String, Long> watermarks) {
    StringJoiner text = new StringJoiner(", ");
    watermarks.forEach(
        (tier, millis) ->
            text.add(
                tier + " " + Instant.ofEpochMilli(millis).atOffset(ZoneOffset.UTC).toLocalTime()));
    return text.toString();
  }

  /**
   * A clock that stands still until it is set: the downsampler reads "now" from it to accept
   * points, to roll up and to choose tiers, so history can be written in milliseconds.
   */
  static final class ManualClock extends Clock {

    private volatile Instant now;

    ManualClock(Instant now) {
      this.now = now;
    }

    /**
     * @param instant the new time
     * @return that time
     */
    Instant set(Instant instant) {
      this.now = instant;
      return instant;
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return Clock.fixed(now, zone);
    }
  }
}
