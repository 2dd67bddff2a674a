package dev.homelab.benchmarks;

import dev.homelab.core.metrics.Downsampler;
import dev.homelab.core.metrics.DownsamplerOptions;
import dev.homelab.core.metrics.MetricRepository;
import dev.homelab.core.metrics.Point;
import dev.homelab.core.metrics.SeriesKey;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.rrd4j.ConsolFun;
import org.rrd4j.DsType;
import org.rrd4j.core.RrdDb;
import org.rrd4j.core.RrdDef;
import org.rrd4j.core.RrdMemoryBackendFactory;
import org.rrd4j.core.Sample;

/**
 * Points per second through the roll-up of all five tiers, in memory: the downsampler on {@link
 * MetricRepository#inMemory()} against rrd4j 3.10 on its MEMORY backend with the same tiers, and
 * against a bare append to a list (the floor).
 *
 * <p>One series, a point every 10 s, written as a collector would: {@value #BATCH} points (two
 * minutes) per operation, then a roll-up and a retention pass (rrd4j overwrites its oldest rows as
 * it goes, so the downsampler enforces its retention too). Results are per point.
 *
 * <p>rrd4j keeps, per tier, one archive per consolidation function: AVERAGE for raw, and AVERAGE,
 * MIN, MAX and LAST for 1m, 5m, 30m and 1h (17 archives), the same information as the downsampler's
 * count, sum, min, max and last.
 */
@State(Scope.Thread)
public class DownsamplerBenchmark extends BenchmarkBase {

  static final int BATCH = 12;
  static final long STEP_MS = 10_000;

  private final SeriesKey series = SeriesKey.of("bench.value");
  private final SplittableRandom random = new SplittableRandom(42);
  private Vertx vertx;
  private MovingClock clock;
  private Downsampler downsampler;
  private RrdDb rrd;
  private long time;
  private List<Double> floor;

  @Setup(Level.Iteration)
  public void setUp() throws IOException {
    if (vertx == null) {
      vertx = Vertx.vertx();
    }
    time = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();
    clock = new MovingClock(time);
    downsampler =
        Downsampler.create(vertx, MetricRepository.inMemory(), new DownsamplerOptions(), clock);
    RrdDef def = new RrdDef("bench", time / 1000 - 1, STEP_MS / 1000);
    def.addDatasource("v", DsType.GAUGE, 2 * STEP_MS / 1000, Double.NaN, Double.NaN);
    def.addArchive(ConsolFun.AVERAGE, 0.5, 1, 360); // raw: 1 h
    int[][] tiers = {
      {6, 1440}, {30, 2016}, {180, 1440}, {360, 8760}
    }; // 1m 24h, 5m 7d, 30m 30d, 1h 1y
    for (int[] tier : tiers) {
      for (ConsolFun fun :
          new ConsolFun[] {ConsolFun.AVERAGE, ConsolFun.MIN, ConsolFun.MAX, ConsolFun.LAST}) {
        def.addArchive(fun, 0.5, tier[0], tier[1]);
      }
    }
    rrd =
        RrdDb.getBuilder().setRrdDef(def).setBackendFactory(new RrdMemoryBackendFactory()).build();
    floor = new ArrayList<>();
  }

  @TearDown(Level.Iteration)
  public void tearDown() throws IOException {
    downsampler.close().await();
    rrd.close();
  }

  @TearDown(Level.Trial)
  public void closeVertx() {
    vertx.close().await();
  }

  private double value() {
    return random.nextInt(10_000) / 4.0;
  }

  /** The floor: the points appended to a list, nothing rolled up. */
  @Benchmark
  @OperationsPerInvocation(BATCH)
  public int baseline() {
    if (floor.size() > 1_000_000) {
      floor.clear();
    }
    for (int i = 0; i < BATCH; i++) {
      floor.add(value());
    }
    return floor.size();
  }

  @Benchmark
  @OperationsPerInvocation(BATCH)
  public int homelabDownsampler() {
    List<Point> points = new ArrayList<>(BATCH);
    for (int i = 0; i < BATCH; i++) {
      points.add(new Point(series, time, value()));
      time += STEP_MS;
    }
    clock.set(time);
    int stored = downsampler.write(points).await().stored();
    downsampler.rollUp().await();
    downsampler.enforceRetention().await();
    return stored;
  }

  @Benchmark
  @OperationsPerInvocation(BATCH)
  public long rrd4jMemory() throws IOException {
    Sample sample = rrd.createSample();
    for (int i = 0; i < BATCH; i++) {
      time += STEP_MS;
      sample.setTime(time / 1000);
      sample.setValue(0, value());
      sample.update();
    }
    return rrd.getLastUpdateTime();
  }
}
