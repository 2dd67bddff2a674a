package dev.homelab.core.metrics;

import dev.homelab.core.store.Storage;
import dev.homelab.core.store.StorageOptions;
import dev.homelab.core.testing.MutableClock;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * The process {@link RollupCrashIT} kills: writes a known set of points into a store, says so, then
 * rolls up in many small steps until it is killed.
 */
public final class RollupCrashChild {

  static final Instant START = Instant.parse("2026-05-01T00:00:00Z");
  static final Duration SPAN = Duration.ofHours(6);
  static final List<SeriesKey> SERIES =
      List.of(
          SeriesKey.of("host.cpu"),
          SeriesKey.of("host.net.rx", Map.of("iface", "eth0")),
          SeriesKey.of("host.disk.used", Map.of("mount", "/data")));

  private RollupCrashChild() {}

  /** Options with one bucket per roll-up step, so that a roll-up is hundreds of transactions. */
  static DownsamplerOptions options() {
    return new DownsamplerOptions().setMaxRollupBuckets(1).setLateness(Duration.ofMinutes(1));
  }

  /** The points, in time order, with a repeat now and then (which the store must ignore). */
  static List<Point> points(long seed) {
    Random random = new Random(seed);
    List<Point> points = new ArrayList<>();
    for (long t = START.toEpochMilli(); t < START.plus(SPAN).toEpochMilli(); t += 10_000) {
      for (SeriesKey series : SERIES) {
        long time = t + random.nextInt(10_000);
        points.add(new Point(series, time, (random.nextInt(40_001) - 20_000) / 4.0));
        if (random.nextInt(50) == 0) {
          points.add(new Point(series, time, 12345.25)); // a retried write with another value
        }
      }
    }
    return points;
  }

  /** The first value of each series at each time: what the store keeps. */
  static Map<SeriesKey, TreeMap<Long, Double>> kept(List<Point> points) {
    Map<SeriesKey, TreeMap<Long, Double>> kept = new HashMap<>();
    for (Point p : points) {
      kept.computeIfAbsent(p.series(), k -> new TreeMap<>()).putIfAbsent(p.time(), p.value());
    }
    return kept;
  }

  /**
   * @param args the store's URI and the seed of the points
   */
  public static void main(String[] args) {
    Vertx vertx = Vertx.vertx();
    Storage storage = Storage.open(vertx, StorageOptions.fromUri(args[0])).await();
    MutableClock clock = new MutableClock(START);
    // Each roll-up step waits 2 ms before it runs, so that the whole roll-up (about 450 steps)
    // lasts long enough to be killed in the middle however fast the store is.
    MetricRepository paced =
        new DownsamplerContract.ForwardingRepository(storage.metrics()) {
          @Override
          public Future<Integer> rollUp(Tier source, Tier target, long from, long to) {
            return vertx
                .timer(2, TimeUnit.MILLISECONDS)
                .compose(v -> super.rollUp(source, target, from, to));
          }
        };
    Downsampler downsampler = Downsampler.create(vertx, paced, options(), clock);
    List<Point> points = points(Long.parseLong(args[1]));
    // Small batches (about 30 s of points) written as they would arrive, so none is too late.
    for (int i = 0; i < points.size(); i += 9) {
      List<Point> batch = points.subList(i, Math.min(points.size(), i + 9));
      long oldest = batch.stream().mapToLong(Point::time).min().orElseThrow();
      clock.set(Instant.ofEpochMilli(oldest + 5_000));
      WriteResult result = downsampler.write(batch).await();
      if (result.tooLate() > 0) {
        System.out.println("refused as too late: " + result);
        System.exit(1);
      }
    }
    System.out.println("written");
    clock.set(START.plus(SPAN).plus(Duration.ofHours(2)));
    System.out.println("rolling");
    downsampler.rollUp().await();
    System.out.println("rolled");
    // Stay alive until killed.
    while (true) {
      try {
        Thread.sleep(1_000);
      } catch (InterruptedException e) {
        return;
      }
    }
  }
}
