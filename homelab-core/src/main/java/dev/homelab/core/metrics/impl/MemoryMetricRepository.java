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
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Keeps points and buckets in sorted maps in this JVM's memory. Every method is synchronized and
 * completes at once; nothing survives the process.
 */
public final class MemoryMetricRepository implements MetricRepository {

  private final Map<SeriesKey, TreeMap<Long, Point>> raw = new HashMap<>();
  private final Map<String, Map<SeriesKey, TreeMap<Long, Bucket>>> tiers = new HashMap<>();
  private final Map<String, Long> watermarks = new HashMap<>();

  @Override
  public synchronized Future<Integer> append(List<Point> points) {
    int stored = 0;
    for (Point p : points) {
      if (raw.computeIfAbsent(p.series(), k -> new TreeMap<>()).putIfAbsent(p.time(), p) == null) {
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
    for (NavigableMap<Long, ?> series : data(tier).values()) {
      if (!series.isEmpty() && (earliest == null || series.firstKey() < earliest)) {
        earliest = series.firstKey();
      }
    }
    return Future.succeededFuture(earliest);
  }

  @Override
  public synchronized Future<Integer> rollUp(Tier source, Tier target, long from, long to) {
    Map<SeriesKey, TreeMap<Long, Bucket>> targetData =
        tiers.computeIfAbsent(target.name(), k -> new HashMap<>());
    int written = 0;
    for (Map.Entry<SeriesKey, ? extends NavigableMap<Long, ?>> series : data(source).entrySet()) {
      TreeMap<Long, Bucket> rolled = new TreeMap<>();
      // The source is in time order: fold each target bucket's run in one pass, no map per point.
      Accumulator run = null;
      for (Object value : series.getValue().subMap(from, true, to, false).values()) {
        long start =
            target.bucketStart(value instanceof Point p ? p.time() : ((Bucket) value).start());
        if (run == null || run.start != start) {
          if (run != null) {
            rolled.put(run.start, run.bucket());
          }
          run = new Accumulator(start);
        }
        run.add(value);
      }
      if (run != null) {
        rolled.put(run.start, run.bucket());
      }
      if (!rolled.isEmpty()) {
        targetData.computeIfAbsent(series.getKey(), k -> new TreeMap<>()).putAll(rolled);
        written += rolled.size();
      }
    }
    watermarks.put(target.name(), to);
    return Future.succeededFuture(written);
  }

  @Override
  public synchronized Future<List<Bucket>> read(SeriesKey series, Tier tier, long from, long to) {
    NavigableMap<Long, ?> data = data(tier).get(series);
    List<Bucket> buckets = new ArrayList<>();
    if (data != null) {
      for (Object value : data.subMap(from, true, to, false).values()) {
        buckets.add(asBucket(value));
      }
    }
    return Future.succeededFuture(buckets);
  }

  @Override
  public synchronized Future<Integer> purge(
      Tier tier, long before, Collection<String> names, boolean only, int limit) {
    Set<String> selected = Set.copyOf(names);
    int deleted = 0;
    for (Map.Entry<SeriesKey, ? extends NavigableMap<Long, ?>> series : data(tier).entrySet()) {
      if (selected.contains(series.getKey().name()) != only) {
        continue;
      }
      Iterator<Long> times = series.getValue().headMap(before, false).keySet().iterator();
      while (times.hasNext() && deleted < limit) {
        times.next();
        times.remove();
        deleted++;
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

  private static void add(Set<SeriesKey> all, SeriesKey key, Map<?, ?> data) {
    if (!data.isEmpty()) {
      all.add(key);
    }
  }

  private Map<SeriesKey, ? extends NavigableMap<Long, ?>> data(Tier tier) {
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
