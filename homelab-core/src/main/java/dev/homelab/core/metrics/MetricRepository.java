package dev.homelab.core.metrics;

import dev.homelab.core.metrics.impl.MemoryMetricRepository;
import io.vertx.core.Future;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Where a {@link Downsampler} keeps raw points, buckets and watermarks: in memory ({@link
 * #inMemory()}) or in a storage adapter ({@code Storage.metrics()}).
 *
 * <p>The {@link Downsampler} is the only writer of a repository: it never runs a roll-up while a
 * write is in flight, which is what keeps roll-ups exact. Reads may run at any time.
 */
public interface MetricRepository {

  /**
   * @return a repository that keeps everything in this JVM's memory, for an app with no database
   */
  static MetricRepository inMemory() {
    return new MemoryMetricRepository();
  }

  /**
   * Stores raw points, ignoring any whose series already has a point at that time (the first one
   * stays).
   *
   * @param points the points
   * @return how many were stored
   */
  Future<Integer> append(List<Point> points);

  /**
   * @return each tier's watermark: everything before it has been rolled up into the tier; tiers
   *     never rolled up are absent
   */
  Future<Map<String, Long>> watermarks();

  /**
   * @param tier a tier
   * @return the time of the oldest point (raw) or bucket start in the tier, or {@code null} if it
   *     is empty
   */
  Future<Long> earliest(Tier tier);

  /**
   * Rolls the source tier's data in {@code [from, to)} up into the target tier's buckets, replacing
   * any bucket already there, and sets the target's watermark to {@code to}, all atomically. Run
   * twice, it writes the same buckets: this is what makes a replay after a crash harmless.
   *
   * @param source the finer tier
   * @param target the coarser tier; {@code from} and {@code to} are multiples of its bucket
   * @param from the start, inclusive
   * @param to the end, exclusive
   * @return how many buckets were written
   */
  Future<Integer> rollUp(Tier source, Tier target, long from, long to);

  /**
   * Reads one series on one tier.
   *
   * @param series the series
   * @param tier the tier
   * @param from the first bucket start (or point time) to read, inclusive
   * @param to the end, exclusive
   * @return the buckets, oldest first; raw points as buckets of one
   */
  Future<List<Bucket>> read(SeriesKey series, Tier tier, long from, long to);

  /**
   * Deletes a bounded batch of a tier's oldest data.
   *
   * @param tier the tier
   * @param before delete data older than this (point time or bucket start)
   * @param names series names the batch is limited to (if {@code only}) or that it leaves alone
   * @param only whether {@code names} lists the series to purge rather than those to keep
   * @param limit at most this many rows
   * @return how many rows were deleted
   */
  Future<Integer> purge(Tier tier, long before, Collection<String> names, boolean only, int limit);

  /**
   * @return every series ever written, in canonical order
   */
  Future<List<SeriesKey>> series();
}
