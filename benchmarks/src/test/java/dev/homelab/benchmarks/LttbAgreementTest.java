package dev.homelab.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.homelab.core.metrics.Bucket;
import dev.homelab.core.metrics.Lttb;
import eu.bengreen.data.utility.LargestTriangleThreeBucketsTime;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.rrd4j.graph.DownSampler;

/** The benchmark compares like with like: both reduce the same series the same way. */
class LttbAgreementTest {

  /**
   * On the benchmark's day of points both keep 1,000 with the same ends. They do not pick the same
   * points throughout: rrd4j's variant cuts its groups by time, ours (Steinarsson's reference) by
   * count, and with 86,398 points in 998 groups the rounding of the cuts differs, which moves the
   * chosen points, each choice depending on the one before.
   */
  @Test
  void bothKeepAThousandPointsWithTheSameEnds() {
    LttbBenchmark benchmark = new LttbBenchmark();
    benchmark.setUp();
    List<Bucket> ours = benchmark.homelabLttb();
    DownSampler.DataSet theirs = benchmark.rrd4jLttb();
    assertThat(ours).hasSize(LttbBenchmark.THRESHOLD);
    assertThat(theirs.timestamps).hasSize(LttbBenchmark.THRESHOLD);
    assertThat(ours.get(0).start() / 1000).isEqualTo(theirs.timestamps[0]);
    assertThat(ours.get(ours.size() - 1).start() / 1000)
        .isEqualTo(theirs.timestamps[theirs.timestamps.length - 1]);
  }

  /** Where the cuts fall alike, both pick the same points. */
  @Test
  void smallInputsAgreeToo() {
    long[] t = {0, 1, 2, 3, 4, 5, 6, 7};
    double[] v = {0, 1, 5, 2, 3, 9, 4, 0};
    DownSampler.DataSet theirs = new LargestTriangleThreeBucketsTime(4).downsize(t, v);
    List<Bucket> ours = Lttb.reduce(LttbBenchmarkData.buckets(t, v), 4);
    assertThat(ours)
        .extracting(b -> b.start() / 1000)
        .containsExactly(
            theirs.timestamps[0], theirs.timestamps[1], theirs.timestamps[2], theirs.timestamps[3]);
  }
}
