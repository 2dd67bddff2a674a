package dev.homelab.core.metrics.impl;

import dev.homelab.core.metrics.Bucket;
import dev.homelab.core.metrics.MetricRepository;
import dev.homelab.core.metrics.Point;
import dev.homelab.core.metrics.SeriesKey;
import dev.homelab.core.metrics.Tier;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Keeps points and buckets in this JVM's memory, each series of each tier in a {@link TimeRun}.
 * Every method is synchronized and completes at once; nothing survives the process.
 */
public final class MemoryMetricRepository implements MetricRepository {

  private final Map<SeriesKey, TimeRun<Point>> raw = new HashMap<>();
  private final Map<String, Map<SeriesKey, TimeRun<Bucket>>> tiers = new HashMap<>();
  private final Map<String, Long> watermarks = new HashMap<>();

  @Override
  public synchronized Future<Integer> append(List<Point> points) {
    int stored = 0;
    SeriesKey lastKey = null;
    TimeRun<Point> run = null;
    for (Point p : points) {
      if (p.series() != lastKey) { // a batch usually holds runs of one series
        lastKey = p.series();
        run = raw.computeIfAbsent(lastKey, k -> new TimeRun<>());
      }
      if (run.putIfAbsent(p.time(), p)) {
        stored++;
      }
    }
    return Future.succeededFuture(stored);
  }

  @Override
  public synchronized Future<Map<String, Long>> watermarks() {
    return Future.succeededFuture(Map.copyOf(watermarks));
  }

  @Override
  public synchronized Future<Long> earliest(Tier tier) {
    Long earliest = null;
    for (TimeRun<?> series : data(tier).values()) {
      if (series.size() > 0 && (earliest == null || series.firstTime() < earliest)) {
        earliest = series.firstTime();
      }
    }
    return Future.succeededFuture(earliest);
  }

  @Override
  public synchronized Future<Integer> rollUp(Tier source, Tier target, long from, long to) {
    Map<SeriesKey, TimeRun<Bucket>> targetData =
        tiers.computeIfAbsent(target.name(), k -> new HashMap<>());
    int written = 0;
    for (Map.Entry<SeriesKey, ? extends TimeRun<?>> series : data(source).entrySet()) {
      TimeRun<?> values = series.getValue();
      TimeRun<Bucket> rolled = null;
      // The source is in time order: fold each target bucket's run in one pass.
      Accumulator acc = null;
      for (int i = values.indexOf(from), end = values.end(); i < end; i++) {
        long time = values.timeAt(i);
        if (time >= to) {
          break;
        }
        long start = target.bucketStart(time);
        if (acc == null || acc.start != start) {
          if (acc != null) {
            rolled = store(targetData, series.getKey(), rolled, acc);
            written++;
          }
          acc = new Accumulator(start);
        }
        acc.add(values.valueAt(i));
      }
      if (acc != null) {
        store(targetData, series.getKey(), rolled, acc);
        written++;
      }
    }
    watermarks.merge(target.name(), to, Math::max); // never backwards, as in SQL
    return Future.succeededFuture(written);
  }

  private static TimeRun<Bucket> store(
      Map<SeriesKey, TimeRun<Bucket>> tier, SeriesKey key, TimeRun<Bucket> run, Accumulator acc) {
    TimeRun<Bucket> into = run != null ? run : tier.computeIfAbsent(key, k -> new TimeRun<>());
    into.put(acc.start, acc.bucket());
    return into;
  }

  @Override
  public synchronized Future<List<Bucket>> read(SeriesKey series, Tier tier, long from, long to) {
    TimeRun<?> data = data(tier).get(series);
    if (data == null) {
      return Future.succeededFuture(List.of());
    }
    List<Bucket> buckets = new ArrayList<>();
    for (int i = data.indexOf(from), end = data.end(); i < end && data.timeAt(i) < to; i++) {
      buckets.add(asBucket(data.valueAt(i)));
    }
    return Future.succeededFuture(buckets);
  }

  @Override
  public synchronized Future<Integer> purge(
      Tier tier, long before, Collection<String> names, boolean only, int limit) {
    Set<String> selected = names instanceof Set<String> set ? set : Set.copyOf(names);
    int deleted = 0;
    Iterator<? extends Map.Entry<SeriesKey, ? extends TimeRun<?>>> all =
        data(tier).entrySet().iterator();
    while (all.hasNext() && deleted < limit) {
      Map.Entry<SeriesKey, ? extends TimeRun<?>> series = all.next();
      if (selected.contains(series.getKey().name()) != only) {
        continue;
      }
      deleted += series.getValue().removeBefore(before, limit - deleted);
      if (series.getValue().size() == 0) {
        all.remove(); // a series with nothing left is forgotten
      }
    }
    return Future.succeededFuture(deleted);
  }

  @Override
  public synchronized Future<List<SeriesKey>> series() {
    TreeSet<SeriesKey> all = new TreeSet<>(Comparator.comparing(SeriesKey::toString));
    raw.forEach((k, v) -> add(all, k, v));
    tiers.values().forEach(t -> t.forEach((k, v) -> add(all, k, v)));
    return Future.succeededFuture(List.copyOf(all));
  }

  private static void add(Set<SeriesKey> all, SeriesKey key, TimeRun<?> data) {
    if (data.size() > 0) {
      all.add(key);
    }
  }

  private Map<SeriesKey, ? extends TimeRun<?>> data(Tier tier) {
    return tier.isRaw() ? raw : tiers.getOrDefault(tier.name(), Map.of());
  }

  /** The aggregate of one target bucket, folded in place. */
  private static final class Accumulator {
    final long start;
    long count;
    double sum;
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    double last;
    long lastTime = Long.MIN_VALUE;

    Accumulator(long start) {
      this.start = start;
    }

    void add(Object value) {
      if (value instanceof Point p) {
        count++;
        sum += p.value();
        min = Math.min(min, p.value());
        max = Math.max(max, p.value());
        if (p.time() > lastTime) {
          lastTime = p.time();
          last = p.value();
        }
      } else {
        Bucket b = (Bucket) value;
        count += b.count();
        sum += b.sum();
        min = Math.min(min, b.min());
        max = Math.max(max, b.max());
        if (b.lastTime() > lastTime) {
          lastTime = b.lastTime();
          last = b.last();
        }
      }
    }

    Bucket bucket() {
      return new Bucket(start, count, sum, min, max, last, lastTime);
    }
  }

  private static Bucket asBucket(Object value) {
    return value instanceof Point p ? Bucket.of(p, p.time()) : (Bucket) value;
  }
}
