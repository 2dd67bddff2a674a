package dev.homelab.core.telemetry;

import dev.homelab.core.metrics.Collector;
import dev.homelab.core.metrics.Downsampler;
import dev.homelab.core.metrics.Point;
import dev.homelab.core.metrics.SeriesKey;
import io.vertx.core.Future;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

/**
 * Feeds committed sensor readings into the metric tiers: each field of a reading becomes a point of
 * series {@code sensor.<field>{device=<id>}}, at the reading's time. It follows a cursor over the
 * readings' positions, so each reading is read once in normal operation.
 *
 * <p>Run by a {@link dev.homelab.core.metrics.CollectorScheduler}, on the leader only. It writes
 * its points itself and answers none to the scheduler, so that its cursor moves only once they are
 * written. The cursor is kept in memory: after a start, a failover, or a pause longer than {@value
 * #RESET_AFTER_INTERVALS} intervals, it starts again from the readings stored within the metrics
 * lateness. Replaying them is harmless: a series keeps one point per millisecond, and a point too
 * late for its bucket is refused by the downsampler.
 *
 * <p>Acknowledgements come first: while the ingestion it is given has readings waiting for their
 * commit, a run is skipped, unless readings stored longer ago than the hold-off it is given are not
 * fed yet. The hold-off must leave the oldest reading ingestion accepts the time to reach the tiers
 * within the lateness (the downsampler refuses older points): ingestion's margin for delivery, less
 * the settle and an interval or two. Within a run, points of one series at the same millisecond are
 * written once (the first one, as the downsampler would keep): readings sent with whole-second
 * timestamps, several a second, cost one point per field and second.
 *
 * <p>Only readings stored more than {@code settle} ago are read: on PostgreSQL a transaction that
 * took its positions a moment ago may commit after a later one, and the cursor must not step over
 * it. SQLite, with its one writer, commits in position order and needs none.
 */
public final class SensorCollector implements Collector {

  /** The prefix of every sensor series: {@value}. */
  public static final String SERIES_PREFIX = "sensor.";

  /** The tag that names the device: {@value}. */
  public static final String DEVICE_TAG = "device";

  /** A pause of this many intervals makes the cursor start again from the lateness: {@value}. */
  public static final int RESET_AFTER_INTERVALS = 10;

  private static final int PAGE = 5_000;
  private static final int MAX_PAGES = 20;

  /**
   * How long one run keeps paging through a backlog: the next run goes on from the cursor, so a run
   * stays far inside the scheduler's timeout and never overlaps the next.
   */
  private static final long RUN_BUDGET_MILLIS = 2_000;

  private final SensorReadingRepository repository;
  private final Downsampler downsampler;
  private final Clock clock;
  private final Duration interval;
  private final Duration settle;
  private final Duration lateness;
  private final Map<String, SeriesKey> keys = new ConcurrentHashMap<>();
  private volatile BooleanSupplier ingestBusy = () -> false;
  private volatile Duration holdOff = Duration.ZERO;
  private final AtomicBoolean running = new AtomicBoolean();
  private volatile Long cursor; // moved by one run at a time (see running)
  private volatile long lastRun; // when the last run ended

  /**
   * @param repository the readings
   * @param downsampler where the points go
   * @param clock what "now" is
   * @param interval how often to run
   * @param settle how long after its commit time a reading is read (see above)
   * @param lateness the downsampler's lateness: how far back a (re)start reads
   */
  public SensorCollector(
      SensorReadingRepository repository,
      Downsampler downsampler,
      Clock clock,
      Duration interval,
      Duration settle,
      Duration lateness) {
    this.repository = Objects.requireNonNull(repository, "repository");
    this.downsampler = Objects.requireNonNull(downsampler, "downsampler");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.interval = Objects.requireNonNull(interval, "interval");
    this.settle = Objects.requireNonNull(settle, "settle");
    this.lateness = Objects.requireNonNull(lateness, "lateness");
  }

  /**
   * Makes runs yield to ingestion (see above).
   *
   * @param busy whether readings wait for their commit now, for example {@code () ->
   *     ingest.pending() > 0}
   * @param holdOff the longest a stored reading may wait for its run meanwhile
   * @return this collector
   */
  public SensorCollector yieldingTo(BooleanSupplier busy, Duration holdOff) {
    this.ingestBusy = Objects.requireNonNull(busy, "busy");
    this.holdOff = Objects.requireNonNull(holdOff, "holdOff");
    return this;
  }

  /**
   * @param field a reading's field
   * @param deviceId its device
   * @return the series the field's points go to
   */
  public static SeriesKey series(String field, String deviceId) {
    return SeriesKey.of(SERIES_PREFIX + field, Map.of(DEVICE_TAG, deviceId));
  }

  @Override
  public String name() {
    return "sensors";
  }

  @Override
  public Duration interval() {
    return interval;
  }

  /** Long enough for a run's budget and one more page on a slow database. */
  @Override
  public Duration timeout() {
    return Duration.ofSeconds(60);
  }

  @Override
  public Future<List<Point>> collect() {
    if (!running.compareAndSet(false, true)) {
      // A run the scheduler gave up on still goes on: it keeps the cursor.
      return Future.succeededFuture(List.of());
    }
    long now = clock.millis();
    boolean stale = now - lastRun > interval.toMillis() * RESET_AFTER_INTERVALS;
    Future<Long> start =
        cursor == null || stale
            ? repository.positionBefore(Instant.ofEpochMilli(now - lateness.toMillis()))
            : Future.succeededFuture(cursor);
    Instant storedBefore = Instant.ofEpochMilli(now - settle.toMillis());
    Long fed = cursor;
    Future<Boolean> yielding =
        fed == null || stale || !ingestBusy.getAsBoolean()
            ? Future.succeededFuture(false)
            : repository
                .positionBefore(Instant.ofEpochMilli(now - holdOff.toMillis()))
                .map(heldLongEnough -> fed >= heldLongEnough);
    return yielding
        .compose(
            yield ->
                yield
                    ? Future.<Void>succeededFuture()
                    : start.compose(from -> feed(from, storedBefore, 0, now + RUN_BUDGET_MILLIS)))
        .onComplete(
            done -> {
              lastRun = clock.millis();
              running.set(false);
            })
        .map(done -> List.<Point>of());
  }

  private Future<Void> feed(long from, Instant storedBefore, int page, long deadline) {
    return repository
        .after(from, storedBefore, PAGE)
        .compose(
            rows -> {
              if (rows.isEmpty()) {
                cursor = from;
                return Future.succeededFuture();
              }
              // One point per series and millisecond, the first (in commit order), as the
              // downsampler keeps it: the others would only be refused by the store.
              Map<SeriesKey, Map<Long, Point>> bySeries = new HashMap<>();
              List<Point> points = new ArrayList<>();
              for (StoredReading row : rows) {
                SensorReading reading = row.reading();
                long time = reading.time().toEpochMilli();
                reading
                    .values()
                    .forEach(
                        (field, value) -> {
                          SeriesKey series = key(field, reading.deviceId());
                          Map<Long, Point> times =
                              bySeries.computeIfAbsent(series, k -> new HashMap<>());
                          if (!times.containsKey(time)) {
                            Point point = new Point(series, time, value);
                            times.put(time, point);
                            points.add(point);
                          }
                        });
              }
              long last = rows.get(rows.size() - 1).position();
              return downsampler
                  .write(points)
                  .compose(
                      written -> {
                        cursor = last;
                        return rows.size() == PAGE
                                && page + 1 < MAX_PAGES
                                && clock.millis() < deadline
                            ? feed(last, storedBefore, page + 1, deadline)
                            : Future.succeededFuture();
                      });
            });
  }

  private SeriesKey key(String field, String deviceId) {
    return keys.computeIfAbsent(
        field + '\u0000' + deviceId,
        k -> {
          if (keys.size() > 100_000) {
            keys.clear(); // bounded: a cache, not a registry
          }
          return series(field, deviceId);
        });
  }
}
