package dev.homelab.core.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LttbTest {

  static List<Bucket> series(double... values) {
    List<Bucket> buckets = new ArrayList<>();
    for (int i = 0; i < values.length; i++) {
      buckets.add(new Bucket(i * 1000L, 1, values[i], values[i], values[i], values[i], i * 1000L));
    }
    return buckets;
  }

  @Test
  void keepsTheEndsAndTheShape() {
    double[] flat = new double[100];
    flat[37] = 50; // one spike
    flat[71] = -20; // one dip
    List<Bucket> reduced = Lttb.reduce(series(flat), 10);
    assertThat(reduced).hasSize(10);
    assertThat(reduced.get(0).start()).isZero();
    assertThat(reduced.get(9).start()).isEqualTo(99_000);
    assertThat(reduced).extracting(Bucket::avg).contains(50.0, -20.0);
    assertThat(reduced).isSortedAccordingTo((a, b) -> Long.compare(a.start(), b.start()));
  }

  @Test
  void shortSeriesComeBackWholeAndTinyThresholdsAreRefused() {
    List<Bucket> five = series(1, 2, 3, 4, 5);
    assertThat(Lttb.reduce(five, 5)).isSameAs(five);
    assertThat(Lttb.reduce(five, 3)).extracting(Bucket::avg).containsExactly(1.0, 2.0, 5.0);
    assertThatThrownBy(() -> Lttb.reduce(five, 2)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void picksTheLargestTriangleInEachGroup() {
    // 0 | 1 5 2 | 3 9 4 | 0: groups of three between the ends; the middle ones stand out.
    List<Bucket> reduced = Lttb.reduce(series(0, 1, 5, 2, 3, 9, 4, 0), 4);
    assertThat(reduced).extracting(Bucket::avg).containsExactly(0.0, 5.0, 9.0, 0.0);
  }

  @Test
  void theArrayFormPicksTheSamePointsAsTheBucketForm() {
    java.util.SplittableRandom random = new java.util.SplittableRandom(3);
    int n = 5_000;
    long[] times = new long[n];
    double[] values = new double[n];
    List<Bucket> buckets = new java.util.ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      times[i] = i * 10_000L;
      values[i] = random.nextDouble(-100, 100);
      // Two points per bucket: the bucket form must place it at its average.
      buckets.add(new Bucket(times[i], 2, 2 * values[i], values[i] - 1, values[i] + 1, 0, 0));
    }
    int[] kept = Lttb.indices(times, values, 300);
    assertThat(kept).hasSize(300).startsWith(0).endsWith(n - 1).isSorted();
    assertThat(Lttb.reduce(buckets, 300))
        .extracting(Bucket::start)
        .containsExactlyElementsOf(java.util.Arrays.stream(kept).mapToObj(i -> times[i]).toList());
    assertThat(Lttb.indices(new long[] {1, 2}, new double[] {5, 6}, 3)).containsExactly(0, 1);
    assertThatThrownBy(() -> Lttb.indices(new long[] {1, 2}, new double[] {5}, 3))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
