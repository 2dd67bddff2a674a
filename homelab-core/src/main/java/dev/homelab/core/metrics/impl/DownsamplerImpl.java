package dev.homelab.core.metrics.impl;

import dev.homelab.core.HomelabException;
import dev.homelab.core.ValidationException;
import dev.homelab.core.metrics.Bucket;
import dev.homelab.core.metrics.Downsampler;
import dev.homelab.core.metrics.DownsamplerOptions;
import dev.homelab.core.metrics.Lttb;
import dev.homelab.core.metrics.MetricQuery;
import dev.homelab.core.metrics.MetricRepository;
import dev.homelab.core.metrics.MetricSeries;
import dev.homelab.core.metrics.Point;
import dev.homelab.core.metrics.SeriesKey;
import dev.homelab.core.metrics.Tier;
import dev.homelab.core.metrics.WriteResult;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The downsampler: one queue of operations (writes, roll-up steps, retention batches) run one at a
 * time, so that a roll-up never reads while a write it should include is in flight, and a write is
 * checked against the watermark the last roll-up left.
 */
public final class DownsamplerImpl implements Downsampler {

  private static final Logger LOG = LoggerFactory.getLogger(DownsamplerImpl.class);

  /** How far before the downsampler's clock a query's range may have been computed. */
  private static final long CLOCK_SKEW_MS = 1_000;

  private final Vertx vertx;
  private final MetricRepository repository;
  private final DownsamplerOptions options;
  private final Clock clock;
  private final List<Tier> tiers;
  private final long lateness;
  // watermark[i] for tier i (index 0, raw, is unused): everything before it is rolled up into i.
  private final AtomicLongArray watermark;
  private final AtomicBoolean rollupQueued = new AtomicBoolean();
  private final AtomicLong deletedRows = new AtomicLong();
  private final AtomicBoolean retentionQueued = new AtomicBoolean();
  private Future<?> tail = Future.succeededFuture(); // guarded by this
  private Future<Void> loaded; // guarded by this
  private volatile boolean closed;
  // Bumped by stop(): roll-up and retention passes begun before it end after their current step.
  private volatile long generation;
  private long rollupTimer = -1;
  private long retentionTimer = -1;

  public DownsamplerImpl(
      Vertx vertx, MetricRepository repository, DownsamplerOptions options, Clock clock) {
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.repository = Objects.requireNonNull(repository, "repository");
    this.options = options;
    this.clock = Objects.requireNonNull(clock, "clock");
    this.tiers = options.getTiers();
    this.lateness = options.getLateness().toMillis();
    if (lateness >= tiers.get(0).retention().toMillis()) {
      throw new IllegalArgumentException("lateness must be shorter than the raw tier's retention");
    }
    this.watermark = new AtomicLongArray(tiers.size());
  }

  @Override
  public Future<WriteResult> write(List<Point> points) {
    List<Point> copy = List.copyOf(points); // also refuses null points
    return enqueue(
        () -> {
          long now = clock.millis();
          long oldest = Math.max(now - lateness, watermark.get(1));
          long newest = now + lateness;
          List<Point> accepted = new ArrayList<>(copy.size());
          for (Point p : copy) {
            if (p.time() >= oldest && p.time() <= newest) {
              accepted.add(p);
            }
          }
          int tooLate = copy.size() - accepted.size();
          if (accepted.isEmpty()) {
            return Future.succeededFuture(new WriteResult(0, 0, tooLate));
          }
          return repository
              .append(accepted)
              .map(stored -> new WriteResult(stored, accepted.size() - stored, tooLate));
        });
  }

  @Override
  public Future<Integer> rollUp() {
    return rollUp(generation);
  }

  private Future<Integer> rollUp(long pass) {
    return rollUpFrom(1, 0, pass);
  }

  /** Rolls tier {@code index} up one bounded step at a time, then the next tier. */
  private Future<Integer> rollUpFrom(int index, int written, long pass) {
    if (index >= tiers.size() || pass != generation) {
      return Future.succeededFuture(written);
    }
    long mark = watermark.get(index);
    if (mark > 0 && limit(index) <= mark) {
      return rollUpFrom(index + 1, written, pass); // nothing closed since: no need to queue a step
    }
    return enqueue(() -> pass != generation ? Future.succeededFuture(-1) : step(index))
        .compose(
            stepWritten ->
                stepWritten < 0
                    ? rollUpFrom(index + 1, written, pass) // this tier is done
                    : rollUpFrom(index, written + stepWritten, pass));
  }

  /** One roll-up step of one tier; -1 if the tier has nothing left to roll up now. */
  private Future<Integer> step(int index) {
    Tier source = tiers.get(index - 1);
    Tier target = tiers.get(index);
    long limit = limit(index);
    long from = watermark.get(index);
    Future<Long> start =
        from > 0
            ? Future.succeededFuture(from)
            : repository
                .earliest(source)
                .map(earliest -> earliest == null ? null : target.bucketStart(earliest));
    return start.compose(
        begin -> {
          if (begin == null || begin >= limit) {
            return Future.succeededFuture(-1);
          }
          long width = target.bucketMillis();
          long to = Math.min(limit, begin + width * options.getMaxRollupBuckets());
          return repository
              .rollUp(source, target, begin, to)
              .map(
                  count -> {
                    watermark.set(index, to);
                    return count;
                  });
        });
  }

  /** How far tier {@code index} may be rolled up now: only over final data of the finer tier. */
  private long limit(int index) {
    Tier target = tiers.get(index);
    return index == 1
        ? target.bucketStart(clock.millis() - lateness)
        : target.bucketStart(watermark.get(index - 1));
  }

  @Override
  public Future<Long> enforceRetention() {
    return enforceRetention(generation);
  }

  private Future<Long> enforceRetention(long pass) {
    return load().compose(v -> retain(0, 0L, pass));
  }

  private Future<Long> retain(int index, long deleted, long pass) {
    if (index >= tiers.size() || pass != generation) {
      return Future.succeededFuture(deleted);
    }
    Tier tier = tiers.get(index);
    long now = clock.millis();
    // Never delete what the next tier has not rolled up: its watermark bounds every cut-off.
    long rolledUpTo = index + 1 < tiers.size() ? watermark.get(index + 1) : Long.MAX_VALUE;
    Map<String, Long> cutoffs = new LinkedHashMap<>();
    options
        .getSeriesRetention()
        .forEach(
            (name, perTier) -> {
              if (perTier.containsKey(tier.name())) {
                cutoffs.put(name, now - perTier.get(tier.name()).toMillis());
              }
            });
    Future<Long> done =
        purgeAll(
            tier,
            Math.min(now - tier.retention().toMillis(), rolledUpTo),
            cutoffs.keySet(),
            false,
            pass);
    for (Map.Entry<String, Long> override : cutoffs.entrySet()) {
      done =
          done.compose(
              n ->
                  purgeAll(
                          tier,
                          Math.min(override.getValue(), rolledUpTo),
                          Set.of(override.getKey()),
                          true,
                          pass)
                      .map(m -> n + m));
    }
    return done.compose(n -> retain(index + 1, deleted + n, pass));
  }

  /** Deletes in batches, each its own operation, so that writes go on between them. */
  private Future<Long> purgeAll(
      Tier tier, long before, Set<String> names, boolean only, long pass) {
    if (before <= 0) {
      return Future.succeededFuture(0L);
    }
    int batch = options.getRetentionBatchSize();
    return enqueue(
            () ->
                pass != generation
                    ? Future.succeededFuture(0)
                    : repository.purge(tier, before, names, only, batch))
        .onSuccess(deletedRows::addAndGet)
        .compose(
            n ->
                n < batch
                    ? Future.succeededFuture((long) n)
                    : purgeAll(tier, before, names, only, pass).map(m -> n + m));
  }

  @Override
  public Future<MetricSeries> query(MetricQuery query) {
    Tier tier;
    if (query.tier() == null) {
      tier = tierFor(query.from());
    } else {
      tier = tiers.stream().filter(t -> t.name().equals(query.tier())).findFirst().orElse(null);
      if (tier == null) {
        return Future.failedFuture(
            new ValidationException("tier", "no tier is named " + query.tier()));
      }
    }
    int index = tiers.indexOf(tier);
    long from = tier.bucketStart(query.from());
    return load()
        .compose(v -> read(index, query.series(), from, query.to()))
        .map(
            buckets ->
                new MetricSeries(
                    query.series(),
                    tier,
                    from,
                    query.to(),
                    query.maxPoints() > 0 ? Lttb.reduce(buckets, query.maxPoints()) : buckets));
  }

  /** Closed buckets from the tier itself, open ones computed from the finer tiers. */
  private Future<List<Bucket>> read(int index, SeriesKey series, long from, long to) {
    Tier tier = tiers.get(index);
    if (index == 0) {
      return repository.read(series, tier, from, to);
    }
    long closedUpTo = watermark.get(index);
    Future<List<Bucket>> closed =
        from < Math.min(to, closedUpTo)
            ? repository.read(series, tier, from, Math.min(to, closedUpTo))
            : Future.succeededFuture(List.of());
    long openFrom = Math.max(from, closedUpTo);
    if (openFrom >= to) {
      return closed;
    }
    return closed.compose(
        done ->
            read(index - 1, series, openFrom, to)
                .map(
                    finer -> {
                      TreeMap<Long, Bucket> open = new TreeMap<>();
                      for (Bucket b : finer) {
                        long start = tier.bucketStart(b.start());
                        open.merge(start, b.at(start), Bucket::merge);
                      }
                      List<Bucket> all = new ArrayList<>(done.size() + open.size());
                      all.addAll(done);
                      all.addAll(open.values());
                      return all;
                    }));
  }

  @Override
  public Tier tierFor(long from) {
    long now = clock.millis();
    for (Tier tier : tiers) {
      // A range read from the clock a moment before (the last hour, asked at t, answered at t
      // plus a millisecond) still gets the tier it was meant for.
      if (now - tier.retention().toMillis() - CLOCK_SKEW_MS <= from) {
        return tier;
      }
    }
    return tiers.get(tiers.size() - 1);
  }

  @Override
  public Future<List<SeriesKey>> series() {
    return repository.series();
  }

  @Override
  public List<Tier> tiers() {
    return tiers;
  }

  @Override
  public Map<String, Long> watermarks() {
    Map<String, Long> marks = new LinkedHashMap<>();
    for (int i = 1; i < tiers.size(); i++) {
      marks.put(tiers.get(i).name(), watermark.get(i));
    }
    return marks;
  }

  @Override
  public Map<String, Long> rollupLag() {
    Map<String, Long> lag = new LinkedHashMap<>();
    long ideal = clock.millis() - lateness;
    for (int i = 1; i < tiers.size(); i++) {
      ideal = tiers.get(i).bucketStart(ideal);
      long mark = watermark.get(i);
      lag.put(tiers.get(i).name(), mark == 0 ? 0 : Math.max(0, ideal - mark));
    }
    return lag;
  }

  @Override
  public long deletedRows() {
    return deletedRows.get();
  }

  @Override
  public synchronized Future<Void> start() {
    if (closed) {
      return Future.failedFuture(new HomelabException("the downsampler is closed", true));
    }
    if (rollupTimer < 0) {
      long pass = generation; // a tick that fires after stop() does nothing
      rollupTimer =
          vertx.setPeriodic(
              options.getRollupInterval().toMillis(),
              id -> periodic(rollupQueued, () -> rollUp(pass), "roll up metrics"));
      retentionTimer =
          vertx.setPeriodic(
              options.getRetentionInterval().toMillis(),
              id ->
                  periodic(
                      retentionQueued, () -> enforceRetention(pass), "enforce metric retention"));
    }
    return refresh();
  }

  /**
   * Reads the watermarks after every queued operation, and makes every later one wait for that
   * read: if it fails, they fail rather than roll up from stale watermarks (the next one reads
   * again).
   */
  @Override
  public synchronized Future<Void> refresh() {
    if (closed) {
      return Future.failedFuture(new HomelabException("the downsampler is closed", true));
    }
    loaded = tail.transform(ignored -> readWatermarks());
    tail = loaded;
    return loaded;
  }

  @Override
  public Future<Void> stop() {
    Future<?> last;
    synchronized (this) {
      generation++;
      if (rollupTimer >= 0) {
        vertx.cancelTimer(rollupTimer);
        vertx.cancelTimer(retentionTimer);
        rollupTimer = -1;
        retentionTimer = -1;
      }
      last = tail;
    }
    return last.transform(v -> Future.succeededFuture());
  }

  /** Runs a periodic job unless the previous run is still queued or running. */
  private void periodic(AtomicBoolean queued, Supplier<Future<?>> job, String what) {
    if (closed || !queued.compareAndSet(false, true)) {
      return;
    }
    job.get()
        .onComplete(
            result -> {
              queued.set(false);
              if (result.failed() && !closed) {
                LOG.warn("Could not {}: {}", what, result.cause().toString());
              }
            });
  }

  @Override
  public Future<Void> close() {
    synchronized (this) {
      closed = true;
    }
    return stop();
  }

  /** Reads the stored watermarks unless they are read or being read; every operation waits. */
  private synchronized Future<Void> load() {
    if (loaded == null || loaded.failed()) {
      loaded = readWatermarks();
    }
    return loaded;
  }

  private Future<Void> readWatermarks() {
    return repository
        .watermarks()
        .map(
            marks -> {
              for (int i = 1; i < tiers.size(); i++) {
                watermark.set(i, marks.getOrDefault(tiers.get(i).name(), 0L));
              }
              return null;
            });
  }

  /**
   * Appends an operation to the queue; it starts when every earlier one has finished. When none is
   * in flight it starts at once, with no future chained: an in-memory repository then runs a whole
   * roll-up as plain calls.
   */
  private <T> Future<T> enqueue(Supplier<Future<T>> operation) {
    synchronized (this) {
      if (closed) {
        return Future.failedFuture(new HomelabException("the downsampler is closed", true));
      }
      Future<Void> ready = load();
      if (tail.isComplete() && ready.succeeded()) {
        // Anything the operation itself enqueues (a repository calling back, say) must wait for
        // it: the gate holds the queue until the operation's result is in.
        Promise<Void> gate = Promise.promise();
        tail = gate.future();
        Future<T> result = run(operation);
        if (tail == gate.future()) {
          tail = result; // nothing was enqueued meanwhile: no need to open the gate
        } else {
          result.onComplete(r -> gate.complete());
        }
        return result;
      }
      Promise<T> result = Promise.promise();
      tail = tail.transform(ignored -> ready).compose(ignored -> run(operation)).onComplete(result);
      return result.future();
    }
  }

  private static <T> Future<T> run(Supplier<Future<T>> operation) {
    try {
      return operation.get();
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }
}
