package dev.homelab.benchmarks;

import dev.homelab.core.metrics.Bucket;
import java.util.ArrayList;
import java.util.List;

final class LttbBenchmarkData {

  private LttbBenchmarkData() {}

  /** Points (seconds, value) as buckets of one, starting at the time in milliseconds. */
  static List<Bucket> buckets(long[] seconds, double[] values) {
    List<Bucket> buckets = new ArrayList<>();
    for (int i = 0; i < seconds.length; i++) {
      long millis = seconds[i] * 1000;
      buckets.add(new Bucket(millis, 1, values[i], values[i], values[i], values[i], millis));
    }
    return buckets;
  }
}
