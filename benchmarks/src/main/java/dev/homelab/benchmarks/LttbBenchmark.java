package dev.homelab.benchmarks;

import dev.homelab.core.metrics.Bucket;
import dev.homelab.core.metrics.Lttb;
import eu.bengreen.data.utility.LargestTriangleThreeBucketsTime;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.rrd4j.graph.DownSampler;

/**
 * Reducing a day of 1-second points (86,400) to 1,000 with LTTB: the downsampler's {@link Lttb},
 * from its buckets (as queries use it) and from two arrays (rrd4j's input), against rrd4j 3.10's
 * bundled {@code LargestTriangleThreeBucketsTime}, and a single pass over the values (the floor of
 * any reduction that reads every point).
 */
@State(Scope.Thread)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class LttbBenchmark extends BenchmarkBase {

  static final int POINTS = 86_400;
  static final int THRESHOLD = 1_000;

  private List<Bucket> buckets;
  private long[] timestamps;
  private double[] values;
  private DownSampler rrd4j;

  @Setup
  public void setUp() {
    SplittableRandom random = new SplittableRandom(7);
    buckets = new ArrayList<>(POINTS);
    timestamps = new long[POINTS];
    values = new double[POINTS];
    double v = 50;
    long start = 1_767_225_600L; // 2026-01-01, in seconds
    for (int i = 0; i < POINTS; i++) {
      v = Math.max(0, Math.min(100, v + random.nextDouble(-2, 2)));
      timestamps[i] = start + i;
      values[i] = v;
      long millis = timestamps[i] * 1000;
      buckets.add(new Bucket(millis, 1, v, v, v, v, millis));
    }
    rrd4j = new LargestTriangleThreeBucketsTime(THRESHOLD);
  }

  /** The floor: one pass that reads every value. */
  @Benchmark
  public double baseline() {
    double sum = 0;
    for (double value : values) {
      sum += value;
    }
    return sum;
  }

  @Benchmark
  public List<Bucket> homelabLttb() {
    return Lttb.reduce(buckets, THRESHOLD);
  }

  /** The same reduction on the same input as rrd4j's: two arrays. */
  @Benchmark
  public int[] homelabLttbArrays() {
    return Lttb.indices(timestamps, values, THRESHOLD);
  }

  @Benchmark
  public DownSampler.DataSet rrd4jLttb() {
    return rrd4j.downsize(timestamps, values);
  }
}
