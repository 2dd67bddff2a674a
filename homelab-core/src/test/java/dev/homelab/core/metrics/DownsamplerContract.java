package dev.homelab.core.metrics;

import static dev.homelab.core.testing.VertxTesting.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.homelab.core.testing.MutableClock;
import dev.homelab.core.testing.VertxTesting;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link MetricRepository} passes under a {@link Downsampler}: random points, late,
 * early and duplicate ones among them, written and rolled up at random moments on an injected
 * clock, give exactly the buckets a brute-force recomputation from the accepted points gives, at
 * every tier; and retention deletes only what has expired and has been rolled up.
 *
 * <p>Values are multiples of 1/4 well inside double's exact range, so every sum is exact whatever
 * the order of addition: the test checks the algorithm, not floating-point associativity.
 *
 * <p>Reliability row F19 (clock jumps): the injected clock steps forward and back an hour, and runs
 * across both Europe/Berlin daylight-saving changes; no bucket is lost or doubled, roll-up windows
 * neither overlap nor leave gaps, no watermark moves back, and retention judges its cut-off by the
 * clock as it is now, never deleting what is newer than that.
 */
public abstract class DownsamplerContract {

  protected static Vertx vertx;
  protected MetricRepository repository;
  private final List<Downsampler> downsamplers = new ArrayList<>();

  /**
   * @return an empty repository that no other test uses
   */
  protected abstract MetricRepository freshRepository();

  /** Releases what {@link #freshRepository()} opened. */
  protected void closeRepository() {}

  @BeforeAll
  static void startVertx() {
    vertx = VertxTesting.vertx();
  }

  @AfterAll
  static void stopVertx() {
    await(vertx.close());
  }

  @BeforeEach
  void open() {
    repository = freshRepository();
  }

  @AfterEach
  void close() {
    downsamplers.forEach(d -> await(d.close()));
    closeRepository();
  }

  protected Downsampler downsampler(DownsamplerOptions options, MutableClock clock) {
    Downsampler d = Downsampler.create(vertx, repository, options, clock);
    downsamplers.add(d);
    return d;
  }

  static final Instant START = Instant.parse("2026-03-01T00:00:00Z");
  static final SeriesKey CPU = SeriesKey.of("host.cpu");
  static final SeriesKey CORE = SeriesKey.of("host.cpu", Map.of("core", "1"));
  static final SeriesKey DISK = SeriesKey.of("host.disk.used", Map.of("mount", "/"));
  static final List<SeriesKey> SERIES = List.of(CPU, CORE, DISK);

  @Test
  void everyTierEqualsABruteForceRecomputation() {
    for (long seed : new long[] {1, 2, 3}) {
      if (seed > 1) {
        repository = freshRepository(); // each seed on a fresh repository
      }
      checkAgainstBruteForce(seed, 2 * 3600);
    }
  }

  /** Feeds random points for a while, then checks every tier, open and closed buckets. */
  void checkAgainstBruteForce(long seed, int seconds) {
    Random random = new Random(seed);
    MutableClock clock = new MutableClock(START);
    DownsamplerOptions options = new DownsamplerOptions().setLateness(Duration.ofSeconds(90));
    Downsampler downsampler = downsampler(options, clock);
    await(downsampler.start());
    long lateness = options.getLateness().toMillis();
    Map<SeriesKey, TreeMap<Long, Double>> accepted = new HashMap<>();
    List<Point> sent = new ArrayList<>();
    long end = START.toEpochMilli() + seconds * 1000L;
    while (clock.millis() < end) {
      clock.advance(Duration.ofMillis(500 + random.nextInt(9_500)));
      long now = clock.millis();
      List<Point> batch = new ArrayList<>();
      int size = random.nextInt(8);
      for (int i = 0; i < size; i++) {
        int kind = random.nextInt(20);
        if (kind == 0 && !sent.isEmpty()) {
          // A duplicate: the same series and time, maybe another value. The first one stays.
          Point old = sent.get(random.nextInt(sent.size()));
          batch.add(new Point(old.series(), old.time(), value(random)));
        } else {
          // Mostly recent, some late (a few beyond the lateness), a few slightly in the future.
          long offset = kind == 1 ? lateness + random.nextInt(60_000) : random.nextInt(60_000);
          long time = kind == 2 ? now + random.nextInt((int) (2 * lateness)) : now - offset;
          batch.add(new Point(SERIES.get(random.nextInt(SERIES.size())), time, value(random)));
        }
      }
      long oldest = Math.max(now - lateness, downsampler.watermarks().get("1m"));
      int stored = 0;
      int duplicates = 0;
      int tooLate = 0;
      for (Point p : batch) {
        if (p.time() < oldest || p.time() > now + lateness) {
          tooLate++;
        } else if (accepted
                .computeIfAbsent(p.series(), k -> new TreeMap<>())
                .putIfAbsent(p.time(), p.value())
            == null) {
          stored++;
          sent.add(p);
        } else {
          duplicates++;
        }
      }
      WriteResult result = await(downsampler.write(batch));
      assertThat(result).isEqualTo(new WriteResult(stored, duplicates, tooLate));
      if (random.nextInt(4) == 0) {
        await(downsampler.rollUp());
      }
      if (random.nextInt(40) == 0) {
        // Mid-way, closed and open buckets together must already be exact.
        assertQueriesMatch(downsampler, accepted, START.toEpochMilli(), now + lateness + 1);
      }
    }
    // Let everything become final, roll it all up and compare every tier's stored buckets.
    clock.advance(Duration.ofHours(2));
    await(downsampler.rollUp());
    for (Tier tier : downsampler.tiers()) {
      long closedUpTo = tier.isRaw() ? Long.MAX_VALUE : downsampler.watermarks().get(tier.name());
      assertThat(closedUpTo).as("watermark of %s", tier.name()).isGreaterThan(0);
      for (SeriesKey series : SERIES) {
        List<Bucket> stored = await(repository.read(series, tier, 0, closedUpTo));
        List<Bucket> expected = bruteForce(accepted.get(series), tier, 0, closedUpTo);
        assertThat(stored).as("%s on tier %s", series, tier.name()).isEqualTo(expected);
      }
    }
    assertQueriesMatch(downsampler, accepted, START.toEpochMilli(), clock.millis());
    assertThat(await(downsampler.series())).containsExactlyInAnyOrderElementsOf(SERIES);
  }

  private void assertQueriesMatch(
      Downsampler downsampler, Map<SeriesKey, TreeMap<Long, Double>> accepted, long from, long to) {
    for (Tier tier : downsampler.tiers()) {
      for (SeriesKey series : SERIES) {
        MetricSeries answer =
            await(downsampler.query(new MetricQuery(series, from, to, tier.name(), 0)));
        assertThat(answer.buckets())
            .as("query of %s on %s", series, tier.name())
            .isEqualTo(bruteForce(accepted.get(series), tier, tier.bucketStart(from), to));
      }
    }
  }

  /** The buckets of a tier, computed from scratch from the accepted raw points. */
  static List<Bucket> bruteForce(TreeMap<Long, Double> points, Tier tier, long from, long to) {
    TreeMap<Long, Bucket> buckets = new TreeMap<>();
    if (points != null) {
      points.forEach(
          (time, value) -> {
            long start = tier.bucketStart(time);
            if (start >= from && start < to) {
              Bucket one = new Bucket(start, 1, value, value, value, value, time);
              buckets.merge(start, one, Bucket::merge);
            }
          });
    }
    return new ArrayList<>(buckets.values());
  }

  private static double value(Random random) {
    return (random.nextInt(8_001) - 4_000) / 4.0;
  }

  @Test
  void retentionDeletesOnlyExpiredAndRolledUpDataInBatches() {
    MutableClock clock = new MutableClock(START);
    DownsamplerOptions options =
        new DownsamplerOptions()
            .setLateness(Duration.ofSeconds(30))
            .setRetentionBatchSize(7)
            .setSeriesRetention("host.disk.used", "raw", Duration.ofHours(3));
    Downsampler downsampler = downsampler(options, clock);
    // Two hours of a point every 10 s on each series, written as they happen, never rolled up.
    for (int i = 0; i < 720; i++) {
      List<Point> batch = new ArrayList<>();
      for (SeriesKey series : SERIES) {
        batch.add(new Point(series, clock.millis(), i));
      }
      assertThat(await(downsampler.write(batch)).stored()).isEqualTo(3);
      clock.advance(Duration.ofSeconds(10));
    }
    Tier raw = downsampler.tiers().get(0);
    long all = Long.MAX_VALUE;
    // Raw is kept for 1 h, but nothing was rolled up yet: nothing may go.
    assertThat(await(downsampler.enforceRetention())).isZero();
    assertThat(await(repository.read(CPU, raw, 0, all))).hasSize(720);

    // Roll up: now the raw points older than an hour go, in batches of 7, except the disk
    // series', kept 3 hours.
    await(downsampler.rollUp());
    long cutoff = clock.millis() - Duration.ofHours(1).toMillis();
    long deleted = await(downsampler.enforceRetention());
    long expired = START.toEpochMilli();
    int perSeries = 0;
    for (long t = expired; t < cutoff; t += 10_000) {
      perSeries++;
    }
    assertThat(deleted).isEqualTo(2L * perSeries);
    assertThat(await(repository.read(CPU, raw, 0, all))).hasSize(720 - perSeries);
    assertThat(await(repository.read(CORE, raw, 0, all))).hasSize(720 - perSeries);
    assertThat(await(repository.read(DISK, raw, 0, all))).hasSize(720);
    assertThat(await(repository.read(CPU, raw, 0, all)).get(0).start())
        .isGreaterThanOrEqualTo(cutoff);

    // The rolled tier holds every closed minute (the last one is still open: lateness 30 s).
    Tier minute = downsampler.tiers().get(1);
    List<Bucket> minutes = await(repository.read(CPU, minute, 0, all));
    assertThat(minutes).hasSize(119);
    assertThat(minutes.get(0))
        .isEqualTo(new Bucket(START.toEpochMilli(), 6, 15, 0, 5, 5, START.toEpochMilli() + 50_000));

    // A day later, before the next roll-up, the 1m tier may only lose what the 5m tier has: the
    // 5m watermark stops at 01:55, so the four minutes after it stay.
    clock.advance(Duration.ofHours(25));
    assertThat(await(downsampler.enforceRetention())).isGreaterThan(0);
    assertThat(await(repository.read(CPU, minute, 0, all)))
        .extracting(Bucket::start)
        .containsExactly(
            START.toEpochMilli() + 6_900_000,
            START.toEpochMilli() + 6_960_000,
            START.toEpochMilli() + 7_020_000,
            START.toEpochMilli() + 7_080_000);
    // After it, everything older than the retention goes.
    await(downsampler.rollUp());
    assertThat(await(downsampler.enforceRetention())).isGreaterThan(0);
    assertThat(await(repository.read(CPU, minute, 0, all))).isEmpty();
    assertThat(await(repository.read(DISK, raw, 0, all))).isEmpty();
    Tier fiveMinutes = downsampler.tiers().get(2);
    assertThat(await(repository.read(CPU, fiveMinutes, 0, all))).hasSize(24);
  }

  @Test
  void aRestartedDownsamplerGoesOnFromTheStoredWatermarks() {
    MutableClock clock = new MutableClock(START);
    Downsampler first = downsampler(new DownsamplerOptions(), clock);
    for (int i = 0; i < 600; i++) {
      await(first.write(new Point(CPU, clock.millis(), i % 17)));
      clock.advance(Duration.ofSeconds(5));
    }
    await(first.rollUp());
    Map<String, Long> marks = first.watermarks();
    assertThat(marks.get("1m")).isPositive();
    await(first.close());

    Downsampler second = downsampler(new DownsamplerOptions(), clock);
    await(second.start());
    assertThat(second.watermarks()).isEqualTo(marks);
    // A point behind the stored watermark is refused: its bucket is closed.
    Point stale = new Point(CPU, marks.get("1m") - 1, 1);
    assertThat(await(second.write(stale))).isEqualTo(new WriteResult(0, 0, 1));
    // Rolling up again writes nothing new and changes nothing.
    Tier minute = second.tiers().get(1);
    List<Bucket> before = await(repository.read(CPU, minute, 0, Long.MAX_VALUE));
    await(second.rollUp());
    assertThat(await(repository.read(CPU, minute, 0, Long.MAX_VALUE))).isEqualTo(before);
  }

  /** Two instances over one repository, leading in turn: each resumes from the other's marks. */
  @Test
  void aResumedDownsamplerRollsUpFromTheWatermarksAnotherOneMoved() {
    MutableClock clock = new MutableClock(START);
    Downsampler first = downsampler(new DownsamplerOptions(), clock);
    Downsampler second = downsampler(new DownsamplerOptions(), clock);
    await(first.start());
    writeEvery5s(first, clock, 600);
    await(first.rollUp());
    Map<String, Long> firstMarks = first.watermarks();
    await(first.stop());

    await(second.start());
    assertThat(second.watermarks()).isEqualTo(firstMarks);
    writeEvery5s(second, clock, 600);
    await(second.rollUp());
    Map<String, Long> secondMarks = second.watermarks();
    assertThat(secondMarks.get("1m")).isGreaterThan(firstMarks.get("1m"));
    await(second.stop());

    assertThat(first.watermarks()).as("not read again while stopped").isEqualTo(firstMarks);
    await(first.start());
    assertThat(first.watermarks()).isEqualTo(secondMarks);
    Tier minute = first.tiers().get(1);
    List<Bucket> before = await(repository.read(CPU, minute, 0, Long.MAX_VALUE));
    assertThat(await(first.rollUp())).as("nothing to roll up again").isZero();
    assertThat(await(repository.read(CPU, minute, 0, Long.MAX_VALUE))).isEqualTo(before);
    assertThat(before).hasSize((int) ((secondMarks.get("1m") - START.toEpochMilli()) / 60_000));
  }

  /** A follower reads the marks the leader moves, without rolling up itself. */
  @Test
  void refreshReadsTheWatermarksAnotherDownsamplerMoved() {
    MutableClock clock = new MutableClock(START);
    Downsampler leader = downsampler(new DownsamplerOptions(), clock);
    Downsampler follower = downsampler(new DownsamplerOptions(), clock);
    await(follower.refresh());
    assertThat(follower.watermarks()).containsEntry("1m", 0L);
    writeEvery5s(leader, clock, 120);
    await(leader.rollUp());
    await(follower.refresh());
    assertThat(follower.watermarks())
        .isEqualTo(leader.watermarks())
        .containsEntry("1m", START.toEpochMilli() + 480_000); // 10 minutes less the lateness
  }

  @Test
  void stopEndsARollUpInProgressAfterItsCurrentStep() {
    MutableClock clock = new MutableClock(START);
    AtomicReference<Downsampler> stopped = new AtomicReference<>();
    AtomicInteger steps = new AtomicInteger();
    // Stops the downsampler from inside its third roll-up step, whatever the repository's timing.
    MetricRepository stopping =
        new ForwardingRepository(repository) {
          @Override
          public Future<Integer> rollUp(Tier source, Tier target, long from, long to) {
            Future<Integer> step = super.rollUp(source, target, from, to);
            if (steps.incrementAndGet() == 3) {
              stopped.get().stop();
            }
            return step;
          }
        };
    Downsampler downsampler =
        Downsampler.create(vertx, stopping, new DownsamplerOptions().setMaxRollupBuckets(1), clock);
    downsamplers.add(downsampler);
    stopped.set(downsampler);
    writeEvery5s(downsampler, clock, 600); // 50 minutes: 48 closed 1m buckets, one per step

    assertThat(await(downsampler.rollUp())).as("buckets written before the stop").isEqualTo(3);
    assertThat(steps).hasValue(3);
    long mark = START.toEpochMilli() + 3 * 60_000;
    assertThat(downsampler.watermarks()).containsEntry("1m", mark).containsEntry("5m", 0L);
    assertThat(await(repository.watermarks())).containsEntry("1m", mark);
    assertThat(await(repository.read(CPU, downsampler.tiers().get(1), 0, Long.MAX_VALUE)))
        .hasSize(3);
    // A roll-up asked for after stop() is not cut short: 48 1m, 9 5m and one 30m bucket in all.
    assertThat(await(downsampler.rollUp())).isEqualTo(48 + 9 + 1 - 3);
  }

  private static void writeEvery5s(Downsampler downsampler, MutableClock clock, int points) {
    for (int i = 0; i < points; i++) {
      await(downsampler.write(new Point(CPU, clock.millis(), i % 17)));
      clock.advance(Duration.ofSeconds(5));
    }
  }

  @Test
  void replayingARollUpStepWritesTheSameBuckets() {
    MutableClock clock = new MutableClock(START);
    Downsampler downsampler = downsampler(new DownsamplerOptions(), clock);
    for (int i = 0; i < 100; i++) {
      await(downsampler.write(new Point(CORE, clock.millis(), i)));
      clock.advance(Duration.ofSeconds(7));
    }
    Tier raw = downsampler.tiers().get(0);
    Tier minute = downsampler.tiers().get(1);
    long to = minute.bucketStart(START.toEpochMilli() + 600_000);
    // As after a crash between the step's commit and anything that followed: the same step twice.
    int first = await(repository.rollUp(raw, minute, START.toEpochMilli(), to));
    List<Bucket> once = await(repository.read(CORE, minute, 0, Long.MAX_VALUE));
    int second = await(repository.rollUp(raw, minute, START.toEpochMilli(), to));
    assertThat(second).isEqualTo(first).isEqualTo(10);
    assertThat(await(repository.read(CORE, minute, 0, Long.MAX_VALUE))).isEqualTo(once);
    assertThat(once.stream().mapToLong(Bucket::count).sum()).isEqualTo(86);
    assertThat(await(repository.watermarks())).containsEntry("1m", to);
  }

  @Test
  void queriesPickTheFinestTierThatCoversThePeriod() {
    MutableClock clock = new MutableClock(START.plus(Duration.ofDays(60)));
    Downsampler downsampler = downsampler(new DownsamplerOptions(), clock);
    Map<Period, String> expected =
        Map.of(
            Period.HOUR, "raw",
            Period.SIX_HOURS, "1m",
            Period.DAY, "1m",
            Period.WEEK, "5m",
            Period.MONTH, "30m");
    expected.forEach(
        (period, tier) ->
            assertThat(
                    await(downsampler.query(MetricQuery.last(CPU, period, clock.instant())))
                        .tier()
                        .name())
                .as(period.text())
                .isEqualTo(tier));
    assertThat(downsampler.tierFor(START.toEpochMilli()).name()).isEqualTo("1h");

    // The last hour as read from the clock a moment ago is still the raw tier's; from a minute ago,
    // its first minute is no longer kept raw.
    Instant asked = clock.instant();
    clock.advance(Duration.ofMillis(5));
    assertThat(await(downsampler.query(MetricQuery.last(CPU, Period.HOUR, asked))).tier().name())
        .isEqualTo("raw");
    clock.advance(Duration.ofMinutes(1));
    assertThat(await(downsampler.query(MetricQuery.last(CPU, Period.HOUR, asked))).tier().name())
        .isEqualTo("1m");
  }

  /**
   * F19: the clock steps an hour forward, then an hour back (behind windows already rolled up),
   * then runs on. Every tier still equals a recomputation from the points accepted; each tier was
   * rolled up in windows that follow one another with no gap and no overlap; no watermark moved
   * back; and while the clock was behind the watermark nothing was rolled up and no point was taken
   * into a closed bucket.
   */
  @Test
  void clockStepsForwardAndBackLoseNoBucketAndDoubleNone() {
    MutableClock clock = new MutableClock(START);
    Map<String, List<long[]>> windows = new HashMap<>();
    MetricRepository recording =
        new ForwardingRepository(repository) {
          @Override
          public Future<Integer> rollUp(Tier source, Tier target, long from, long to) {
            windows
                .computeIfAbsent(target.name(), k -> new ArrayList<>())
                .add(new long[] {from, to});
            return super.rollUp(source, target, from, to);
          }
        };
    Downsampler downsampler =
        Downsampler.create(
            vertx, recording, new DownsamplerOptions().setLateness(Duration.ofSeconds(30)), clock);
    downsamplers.add(downsampler);
    TreeMap<Long, Double> accepted = new TreeMap<>();
    Map<String, Long> marks = new HashMap<>(downsampler.watermarks());

    feed(downsampler, clock, accepted, marks, Duration.ofMinutes(20));
    clock.advance(Duration.ofHours(1));
    // A point from the hour the clock skipped, older than the lateness, is too late by definition;
    // one within the lateness is taken.
    assertThat(await(downsampler.write(new Point(CPU, clock.millis() - 31_000, 1))))
        .isEqualTo(new WriteResult(0, 0, 1));
    feed(downsampler, clock, accepted, marks, Duration.ofMinutes(20));
    long minuteMark = downsampler.watermarks().get("1m");
    assertThat(minuteMark).isEqualTo(START.toEpochMilli() + Duration.ofMinutes(99).toMillis());

    clock.advance(Duration.ofHours(-1)); // 59 minutes behind the 1m watermark
    int windowsBefore = windows.values().stream().mapToInt(List::size).sum();
    Map<String, Long> before = downsampler.watermarks();
    assertThat(await(downsampler.rollUp())).as("nothing to roll up behind the watermark").isZero();
    assertThat(downsampler.watermarks()).isEqualTo(before);
    assertThat(windows.values().stream().mapToInt(List::size).sum()).isEqualTo(windowsBefore);
    Tier raw = downsampler.tiers().get(0);
    int rawRows = await(repository.read(CPU, raw, 0, Long.MAX_VALUE)).size();
    // The clock's now lies in a closed bucket: refused, not folded into it.
    assertThat(await(downsampler.write(new Point(CPU, clock.millis(), 1))))
        .isEqualTo(new WriteResult(0, 0, 1));
    assertThat(await(repository.read(CPU, raw, 0, Long.MAX_VALUE))).hasSize(rawRows);
    // Runs on past the watermark: refused until it is passed, then taken and rolled up.
    TreeMap<Long, Double> after = feed(downsampler, clock, accepted, marks, Duration.ofMinutes(80));
    // The points of minute 99 were stored before the jump: taken once only.
    assertThat(after.firstKey()).isEqualTo(minuteMark + 60_000);
    assertThat(after).hasSize(120);

    clock.advance(Duration.ofHours(3));
    await(downsampler.rollUp());
    assertTiersMatch(downsampler, accepted);
    for (Tier tier : downsampler.tiers().subList(1, downsampler.tiers().size())) {
      List<long[]> steps = windows.get(tier.name());
      assertThat(steps).as("windows of %s", tier.name()).isNotEmpty();
      assertThat(steps.get(0)[0]).isEqualTo(tier.bucketStart(START.toEpochMilli()));
      for (int i = 0; i < steps.size(); i++) {
        assertThat(steps.get(i)[0])
            .as("window %d of %s", i, tier.name())
            .isLessThan(steps.get(i)[1]);
        if (i > 0) {
          assertThat(steps.get(i)[0])
              .as("window %d of %s starts where the one before ended", i, tier.name())
              .isEqualTo(steps.get(i - 1)[1]);
        }
      }
      assertThat(steps.get(steps.size() - 1)[1])
          .isEqualTo(downsampler.watermarks().get(tier.name()));
    }
  }

  /**
   * F19: buckets are aligned on UTC (epoch milliseconds), so a daylight-saving change of the zone
   * people read them in is no special case: across both Europe/Berlin changes of 2026 the hour tier
   * holds one bucket per UTC hour, each with all its points, though the local labels skip 02:00 in
   * March and show it twice in October.
   */
  @Test
  void bucketsAreUtcSoADaylightSavingChangeIsNoSpecialCase() {
    ZoneId berlin = ZoneId.of("Europe/Berlin");
    Map<Instant, List<Integer>> localHours =
        Map.of(
            Instant.parse("2026-03-29T01:00:00Z"), List.of(0, 1, 3, 4),
            Instant.parse("2026-10-25T01:00:00Z"), List.of(1, 2, 2, 3));
    localHours.forEach(
        (change, hours) -> {
          assertThat(berlin.getRules().nextTransition(change.minusSeconds(1)).getInstant())
              .as("a daylight-saving change in Berlin")
              .isEqualTo(change);
          repository = freshRepository();
          MutableClock clock = new MutableClock(change.minus(Duration.ofMinutes(90)));
          Downsampler downsampler =
              downsampler(new DownsamplerOptions().setLateness(Duration.ofSeconds(30)), clock);
          TreeMap<Long, Double> accepted = new TreeMap<>();
          Map<String, Long> marks = new HashMap<>(downsampler.watermarks());
          feed(downsampler, clock, accepted, marks, Duration.ofMinutes(180), 60);
          clock.advance(Duration.ofHours(3));
          await(downsampler.rollUp());
          assertTiersMatch(downsampler, accepted);
          Tier hour = downsampler.tiers().get(downsampler.tiers().size() - 1);
          List<Bucket> buckets = await(repository.read(CPU, hour, 0, Long.MAX_VALUE));
          assertThat(buckets)
              .extracting(Bucket::start)
              .containsExactly(
                  change.minus(Duration.ofHours(2)).toEpochMilli(),
                  change.minus(Duration.ofHours(1)).toEpochMilli(),
                  change.toEpochMilli(),
                  change.plus(Duration.ofHours(1)).toEpochMilli());
          assertThat(buckets).extracting(Bucket::count).containsExactly(30L, 60L, 60L, 30L);
          assertThat(buckets)
              .extracting(b -> Instant.ofEpochMilli(b.start()).atZone(berlin).getHour())
              .as("local labels at %s", change)
              .isEqualTo(hours);
        });
  }

  /**
   * F19: retention's cut-off is the clock's now less the retention (and never past what is rolled
   * up). An hour back after a run, it deletes nothing, and nothing newer than the cut-off of the
   * run before is gone; an hour forward, only what is older than the new cut-off goes.
   */
  @Test
  void retentionAfterAClockJumpDeletesOnlyWhatIsOlderThanItsCutoffNow() {
    MutableClock clock = new MutableClock(START);
    Downsampler downsampler =
        downsampler(new DownsamplerOptions().setLateness(Duration.ofSeconds(30)), clock);
    TreeMap<Long, Double> accepted = new TreeMap<>();
    Map<String, Long> marks = new HashMap<>(downsampler.watermarks());
    feed(downsampler, clock, accepted, marks, Duration.ofHours(3), 60);
    await(downsampler.rollUp());
    Tier raw = downsampler.tiers().get(0);
    Tier minute = downsampler.tiers().get(1);
    long minuteMark = downsampler.watermarks().get("1m");
    List<Bucket> minutes = await(repository.read(CPU, minute, 0, Long.MAX_VALUE));
    long cutoff = clock.millis() - Duration.ofHours(1).toMillis();

    assertThat(await(downsampler.enforceRetention())).isEqualTo(accepted.headMap(cutoff).size());
    assertRawFrom(raw, accepted, cutoff);

    clock.advance(Duration.ofHours(-1));
    assertThat(await(downsampler.enforceRetention())).as("an hour back").isZero();
    assertRawFrom(raw, accepted, cutoff);
    clock.advance(Duration.ofHours(1));
    assertThat(await(downsampler.enforceRetention())).as("back where it was").isZero();
    assertRawFrom(raw, accepted, cutoff);

    // An hour forward, with no roll-up since: the new cut-off is bounded by the 1m watermark.
    clock.advance(Duration.ofHours(1));
    long later = Math.min(clock.millis() - Duration.ofHours(1).toMillis(), minuteMark);
    assertThat(await(downsampler.enforceRetention()))
        .isEqualTo(accepted.subMap(cutoff, later).size());
    assertRawFrom(raw, accepted, later);
    assertThat(await(repository.read(CPU, minute, 0, Long.MAX_VALUE))).isEqualTo(minutes);
  }

  private void assertRawFrom(Tier raw, TreeMap<Long, Double> accepted, long cutoff) {
    assertThat(await(repository.read(CPU, raw, 0, Long.MAX_VALUE)))
        .extracting(Bucket::start)
        .containsExactlyElementsOf(accepted.tailMap(cutoff).keySet());
  }

  /** Like {@link #feed(Downsampler, MutableClock, TreeMap, Map, Duration, int)} every 10 s. */
  private static TreeMap<Long, Double> feed(
      Downsampler downsampler,
      MutableClock clock,
      TreeMap<Long, Double> accepted,
      Map<String, Long> marks,
      Duration duration) {
    return feed(downsampler, clock, accepted, marks, duration, 10);
  }

  /**
   * Writes a point of {@link #CPU} every {@code seconds} of the clock for a while, one write each
   * so that each point's fate is known, rolls up every 5 minutes and checks that no watermark moves
   * back.
   *
   * @return the points stored by this call, also added to {@code accepted}
   */
  private static TreeMap<Long, Double> feed(
      Downsampler downsampler,
      MutableClock clock,
      TreeMap<Long, Double> accepted,
      Map<String, Long> marks,
      Duration duration,
      int seconds) {
    TreeMap<Long, Double> stored = new TreeMap<>();
    long end = clock.millis() + duration.toMillis();
    for (int i = 0; clock.millis() < end; i++) {
      long time = clock.millis();
      double value = (i % 37) / 4.0;
      WriteResult result = await(downsampler.write(new Point(CPU, time, value)));
      if (result.stored() == 1) {
        assertThat(accepted.put(time, value)).as("stored twice at %d", time).isNull();
        stored.put(time, value);
      }
      clock.advance(Duration.ofSeconds(seconds));
      if ((i + 1) * seconds % 300 == 0) {
        await(downsampler.rollUp());
        downsampler
            .watermarks()
            .forEach(
                (tier, mark) -> {
                  assertThat(mark)
                      .as("watermark of %s", tier)
                      .isGreaterThanOrEqualTo(marks.get(tier));
                  marks.put(tier, mark);
                });
      }
    }
    return stored;
  }

  /** Every tier's stored buckets, up to its watermark, equal a recomputation from the points. */
  private void assertTiersMatch(Downsampler downsampler, TreeMap<Long, Double> accepted) {
    for (Tier tier : downsampler.tiers()) {
      long closedUpTo = tier.isRaw() ? Long.MAX_VALUE : downsampler.watermarks().get(tier.name());
      assertThat(await(repository.read(CPU, tier, 0, closedUpTo)))
          .as("tier %s", tier.name())
          .isEqualTo(bruteForce(accepted, tier, 0, closedUpTo));
    }
  }

  /** A repository that forwards every call, for tests that intercept one. */
  static class ForwardingRepository implements MetricRepository {

    private final MetricRepository target;

    ForwardingRepository(MetricRepository target) {
      this.target = target;
    }

    @Override
    public Future<Integer> append(List<Point> points) {
      return target.append(points);
    }

    @Override
    public Future<Map<String, Long>> watermarks() {
      return target.watermarks();
    }

    @Override
    public Future<Long> earliest(Tier tier) {
      return target.earliest(tier);
    }

    @Override
    public Future<Integer> rollUp(Tier source, Tier target, long from, long to) {
      return this.target.rollUp(source, target, from, to);
    }

    @Override
    public Future<List<Bucket>> read(SeriesKey series, Tier tier, long from, long to) {
      return target.read(series, tier, from, to);
    }

    @Override
    public Future<Integer> purge(
        Tier tier, long before, Collection<String> names, boolean only, int limit) {
      return target.purge(tier, before, names, only, limit);
    }

    @Override
    public Future<List<SeriesKey>> series() {
      return target.series();
    }
  }
}
