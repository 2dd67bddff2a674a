package dev.homelab.core.metrics.impl;

import dev.homelab.core.ValidationException;
import dev.homelab.core.metrics.Bucket;
import dev.homelab.core.metrics.Downsampler;
import dev.homelab.core.metrics.Lttb;
import dev.homelab.core.metrics.MetricQuery;
import dev.homelab.core.metrics.MetricSeries;
import dev.homelab.core.metrics.MetricTable;
import dev.homelab.core.metrics.MetricTableQuery;
import dev.homelab.core.metrics.MetricTableResult;
import dev.homelab.core.metrics.SeriesKey;
import dev.homelab.core.metrics.Tier;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Reads a {@link MetricTable} through any {@link Downsampler}: each selected series is one {@link
 * MetricQuery} on one tier, and the buckets are joined into rows by their second.
 *
 * <p>Joining and reducing run on the caller's thread (an event loop in the server): a table holds
 * at most a tier's retention over its bucket width rows, a few thousand, so it stays far below the
 * cost of the reads themselves.
 */
public final class MetricTableReader {

  private MetricTableReader() {}

  /**
   * @param downsampler where the series are kept
   * @param query what to read
   * @return the table's rows; a failed future with a {@code ValidationException} if the query names
   *     an unknown tier
   */
  public static Future<MetricTableResult> read(Downsampler downsampler, MetricTableQuery query) {
    Tier tier;
    if (query.tier() == null) {
      tier = downsampler.tierFor(query.range().from());
    } else {
      tier =
          downsampler.tiers().stream()
              .filter(t -> t.name().equals(query.tier()))
              .findFirst()
              .orElse(null);
      if (tier == null) {
        return Future.failedFuture(
            new ValidationException("tier", "no tier is named " + query.tier()));
      }
    }
    List<MetricTable.Column> columns = query.table().columns();
    // Only a column of a set of series needs the list of the series that exist.
    boolean sets = columns.stream().anyMatch(c -> c.series().key() == null);
    return (sets ? downsampler.series() : Future.succeededFuture(List.<SeriesKey>of()))
        .compose(
            all -> {
              List<Integer> columnOf = new ArrayList<>();
              List<Future<MetricSeries>> reads = new ArrayList<>();
              for (int c = 0; c < columns.size(); c++) {
                for (SeriesKey key : select(columns.get(c), all)) {
                  columnOf.add(c);
                  reads.add(
                      downsampler.query(
                          new MetricQuery(
                              key, query.range().from(), query.range().to(), tier.name(), 0)));
                }
              }
              return Future.all(reads)
                  .map(
                      done -> {
                        List<List<Bucket>> buckets = new ArrayList<>(reads.size());
                        reads.forEach(read -> buckets.add(read.result().buckets()));
                        return new MetricTableResult(
                            query.table(),
                            query.range(),
                            tier,
                            rows(query.table(), columnOf, buckets, query.maxPoints()));
                      });
            });
  }

  /** The series a column reads, in the order the downsampler lists them. */
  private static List<SeriesKey> select(MetricTable.Column column, List<SeriesKey> all) {
    SeriesKey exact = column.series().key();
    if (exact != null) {
      return List.of(exact);
    }
    List<SeriesKey> keys = new ArrayList<>();
    for (SeriesKey key : all) {
      if (column.series().matches(key)) {
        keys.add(key);
      }
    }
    return keys;
  }

  /** One row while it is built: each column's combined value and how many series gave one. */
  private static final class Cells {
    final double[] values;
    final int[] counts;
    // Where the primary column's bucket starts, in milliseconds: what LTTB places it at.
    long primaryStart = Long.MAX_VALUE;

    Cells(int columns) {
      values = new double[columns];
      counts = new int[columns];
    }
  }

  /**
   * Joins the series' buckets into rows by second, and reduces them.
   *
   * @param table the table
   * @param columnOf for each read, the column it belongs to
   * @param reads each read's buckets, oldest first
   * @param maxPoints at most this many rows; 0 for no limit
   */
  private static List<MetricTableResult.Row> rows(
      MetricTable table, List<Integer> columnOf, List<List<Bucket>> reads, int maxPoints) {
    List<MetricTable.Column> columns = table.columns();
    int primary = table.primary() == null ? -1 : table.indexOf(table.primary());
    TreeMap<Long, Cells> rows = new TreeMap<>();
    for (int r = 0; r < reads.size(); r++) {
      int c = columnOf.get(r);
      MetricTable.Column column = columns.get(c);
      for (Bucket b : bySecond(reads.get(r))) {
        Cells cells = rows.computeIfAbsent(second(b), s -> new Cells(columns.size()));
        double value = column.statistic().of(b);
        cells.values[c] = cells.counts[c] == 0 ? value : combine(column, cells.values[c], value);
        cells.counts[c]++;
        if (c == primary) {
          cells.primaryStart = Math.min(cells.primaryStart, b.start());
        }
      }
    }
    for (Cells cells : rows.values()) {
      for (int c = 0; c < columns.size(); c++) {
        if (columns.get(c).combine() == MetricTable.Combine.AVG && cells.counts[c] > 0) {
          cells.values[c] /= cells.counts[c];
        }
      }
    }
    if (maxPoints > 0 && rows.size() > maxPoints) {
      reduce(rows, primary, maxPoints);
    }
    List<MetricTableResult.Row> result = new ArrayList<>(rows.size());
    rows.forEach(
        (second, cells) -> {
          Map<String, Double> values = new LinkedHashMap<>();
          for (int c = 0; c < columns.size(); c++) {
            if (cells.counts[c] > 0) {
              values.put(columns.get(c).name(), cells.values[c]);
            }
          }
          result.add(new MetricTableResult.Row(second, values));
        });
    return result;
  }

  /**
   * A series' buckets, those that start in the same second merged: rows are keyed by second, and
   * raw points less than a second apart are one sample of the series, not two to add up.
   */
  private static List<Bucket> bySecond(List<Bucket> buckets) {
    List<Bucket> merged = new ArrayList<>(buckets.size());
    for (Bucket b : buckets) {
      int last = merged.size() - 1;
      if (last >= 0 && second(merged.get(last)) == second(b)) {
        merged.set(last, merged.get(last).merge(b));
      } else {
        merged.add(b);
      }
    }
    return merged;
  }

  private static long second(Bucket b) {
    return Math.floorDiv(b.start(), 1000);
  }

  private static double combine(MetricTable.Column column, double sofar, double value) {
    return switch (column.combine()) {
      case SUM, AVG -> sofar + value; // an average is divided by the count once all are in
      case MIN -> Math.min(sofar, value);
      case MAX -> Math.max(sofar, value);
    };
  }

  /**
   * Keeps the rows LTTB keeps of the primary column's values (rows without one go), or, when the
   * table has no primary column or it has no value in the range, evenly spaced rows, the first and
   * the last among them.
   */
  private static void reduce(TreeMap<Long, Cells> rows, int primary, int maxPoints) {
    List<Long> followed = new ArrayList<>();
    if (primary >= 0) {
      rows.forEach(
          (second, cells) -> {
            if (cells.counts[primary] > 0) {
              followed.add(second);
            }
          });
    }
    BitSet keep = new BitSet();
    List<Long> seconds;
    if (followed.isEmpty()) {
      seconds = new ArrayList<>(rows.keySet());
      for (int i = 0; i < maxPoints; i++) {
        keep.set((int) ((long) i * (seconds.size() - 1) / (maxPoints - 1)));
      }
    } else {
      seconds = followed;
      long[] times = new long[seconds.size()];
      double[] values = new double[seconds.size()];
      for (int i = 0; i < times.length; i++) {
        Cells cells = rows.get(seconds.get(i));
        times[i] = cells.primaryStart;
        values[i] = cells.values[primary];
      }
      for (int i : Lttb.indices(times, values, maxPoints)) {
        keep.set(i);
      }
    }
    Set<Long> kept = new HashSet<>();
    keep.stream().forEach(i -> kept.add(seconds.get(i)));
    rows.keySet().retainAll(kept);
  }
}
