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
    checkThreshold(threshold);
    int n = buckets.size();
    if (n <= threshold) {
      return buckets;
    }
    // One pass reads each bucket's place and average (a division); the reduction then runs over
    // primitives in order.
    long[] times = new long[n];
    double[] values = new double[n];
    for (int i = 0; i < n; i++) {
      Bucket b = buckets.get(i);
      times[i] = b.start();
      values[i] = b.avg();
    }
    int[] kept = indices(times, values, threshold);
    List<Bucket> reduced = new ArrayList<>(kept.length);
    for (int i : kept) {
      reduced.add(buckets.get(i));
    }
    return reduced;
  }

  /**
   * The same reduction over points given as two arrays.
   *
   * @param times the points' times, increasing
   * @param values the points' values
   * @param threshold how many to keep; at least 3
   * @return the indices of the points kept, increasing, the first and last always among them; every
   *     index if there are not more points than the threshold
   * @throws IllegalArgumentException if the threshold is below 3 or the arrays' lengths differ
   */
  public static int[] indices(long[] times, double[] values, int threshold) {
    checkThreshold(threshold);
    int n = times.length;
    if (values.length != n) {
      throw new IllegalArgumentException("times and values must have the same length");
    }
    if (n <= threshold) {
      int[] all = new int[n];
      for (int i = 0; i < n; i++) {
        all[i] = i;
      }
      return all;
    }
    int[] kept = new int[threshold];
    int count = 0;
    kept[count++] = 0;
    // The points between the first and the last fall in threshold - 2 groups of equal width.
    double every = (double) (n - 2) / (threshold - 2);
    int chosen = 0;
    for (int group = 0; group < threshold - 2; group++) {
      int nextStart = (int) Math.floor((group + 1) * every) + 1;
      int nextEnd = Math.min((int) Math.floor((group + 2) * every) + 1, n);
      double avgX = 0;
      double avgY = 0;
      for (int i = nextStart; i < nextEnd; i++) {
        avgX += times[i];
        avgY += values[i];
      }
      int span = nextEnd - nextStart;
      avgX /= span;
      avgY /= span;

      int start = (int) Math.floor(group * every) + 1;
      int end = (int) Math.floor((group + 1) * every) + 1;
      double ax = times[chosen];
      double ay = values[chosen];
      double largest = -1;
      int best = start;
      for (int i = start; i < end; i++) {
        double area = Math.abs((ax - avgX) * (values[i] - ay) - (ax - times[i]) * (avgY - ay));
        if (area > largest) {
          largest = area;
          best = i;
        }
      }
      kept[count++] = best;
      chosen = best;
    }
    kept[count] = n - 1;
    return kept;
  }

  private static void checkThreshold(int threshold) {
    if (threshold < 3) {
      throw new IllegalArgumentException("threshold must be at least 3");
    }
  }
}
