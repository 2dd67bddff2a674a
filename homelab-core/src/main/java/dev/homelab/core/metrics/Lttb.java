package dev.homelab.core.metrics;

import java.util.ArrayList;
import java.util.List;

/**
 * Largest-Triangle-Three-Buckets (Steinarsson, 2013): reduces a series to fewer points that keep
 * its visual shape, choosing in each group the point that makes the largest triangle with the point
 * chosen before and the average of the next group.
 *
 * <p>Buckets are placed at their start and their average.
 */
public final class Lttb {

  private Lttb() {}

  /**
   * @param buckets the buckets, oldest first
   * @param threshold how many to keep; at least 3
   * @return at most {@code threshold} of the buckets, the first and last always among them; the
   *     input itself if it is not longer than the threshold
   * @throws IllegalArgumentException if the threshold is below 3
   */
  public static List<Bucket> reduce(List<Bucket> buckets, int threshold) {
    if (threshold < 3) {
      throw new IllegalArgumentException("threshold must be at least 3");
    }
    int n = buckets.size();
    if (n <= threshold) {
      return buckets;
    }
    List<Bucket> kept = new ArrayList<>(threshold);
    kept.add(buckets.get(0));
    // The points between the first and the last fall in threshold - 2 groups of equal width.
    double every = (double) (n - 2) / (threshold - 2);
    int chosen = 0;
    for (int group = 0; group < threshold - 2; group++) {
      int nextStart = (int) Math.floor((group + 1) * every) + 1;
      int nextEnd = Math.min((int) Math.floor((group + 2) * every) + 1, n);
      double avgX = 0;
      double avgY = 0;
      for (int i = nextStart; i < nextEnd; i++) {
        avgX += buckets.get(i).start();
        avgY += buckets.get(i).avg();
      }
      int span = nextEnd - nextStart;
      avgX /= span;
      avgY /= span;

      int start = (int) Math.floor(group * every) + 1;
      int end = (int) Math.floor((group + 1) * every) + 1;
      double ax = buckets.get(chosen).start();
      double ay = buckets.get(chosen).avg();
      double largest = -1;
      int best = start;
      for (int i = start; i < end; i++) {
        Bucket b = buckets.get(i);
        double area = Math.abs((ax - avgX) * (b.avg() - ay) - (ax - b.start()) * (avgY - ay));
        if (area > largest) {
          largest = area;
          best = i;
        }
      }
      kept.add(buckets.get(best));
      chosen = best;
    }
    kept.add(buckets.get(n - 1));
    return kept;
  }
}
