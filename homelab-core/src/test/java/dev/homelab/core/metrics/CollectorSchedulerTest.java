package dev.homelab.core.metrics;

import static dev.homelab.core.testing.VertxTesting.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.homelab.core.testing.MutableClock;
import dev.homelab.core.testing.VertxTesting;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class CollectorSchedulerTest {

  private static Vertx vertx;
  private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");
  private static final SeriesKey SERIES = SeriesKey.of("test.value");

  @BeforeAll
  static void start() {
    vertx = VertxTesting.vertx();
  }

  @AfterAll
  static void stop() {
    await(vertx.close());
  }

  /** A collector that fails a number of times, then delivers one point, or hangs if asked to. */
  static final class Flaky implements Collector {
    final String name;
    final int failures;
    final boolean hang;
    final AtomicInteger attempts = new AtomicInteger();

    Flaky(String name, int failures, boolean hang) {
      this.name = name;
      this.failures = failures;
      this.hang = hang;
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public Duration interval() {
      return Duration.ofHours(1); // runs once at start, then only when asked
    }

    @Override
    public Future<List<Point>> collect() {
      int attempt = attempts.incrementAndGet();
      if (hang) {
        return Promise.<List<Point>>promise().future();
      }
      if (attempt <= failures) {
        return Future.failedFuture(new IllegalStateException("upstream down, attempt " + attempt));
      }
      return Future.succeededFuture(
          List.of(new Point(SERIES, NOW.toEpochMilli() + attempt, attempt)));
    }
  }

  private CollectorScheduler scheduler(Downsampler downsampler) {
    Clock clock = new MutableClock(NOW);
    return CollectorScheduler.create(
        vertx, downsampler, Duration.ofMillis(100), Duration.ofMillis(10), clock);
  }

  @Test
  void failedAttemptsAreRetriedThreeTimesWithBackoffAndCounted() throws Exception {
    MetricRepository repository = MetricRepository.inMemory();
    Downsampler downsampler =
        Downsampler.create(vertx, repository, new DownsamplerOptions(), new MutableClock(NOW));
    CollectorScheduler scheduler = scheduler(downsampler);
    Flaky recovers = new Flaky("recovers", 2, false);
    Flaky broken = new Flaky("broken", 100, false);
    Flaky hangs = new Flaky("hangs", 0, true);
    scheduler.add(recovers).add(broken).add(hangs);
    Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                scheduler.stats().get("broken").failures() > 0
                    && scheduler.stats().get("hangs").failures() > 0
                    && scheduler.stats().get("recovers").successes() > 0);
    CollectorStats ok = scheduler.stats().get("recovers");
    assertThat(ok.successes()).isEqualTo(1);
    assertThat(ok.retries()).isEqualTo(2);
    assertThat(ok.lastSuccess()).isEqualTo(NOW);
    assertThat(ok.lastError()).isNull();
    assertThat(recovers.attempts).hasValue(3);

    CollectorStats failed = scheduler.stats().get("broken");
    assertThat(failed.failures()).isEqualTo(1);
    assertThat(failed.retries()).isEqualTo(3);
    assertThat(broken.attempts).hasValue(4); // the first attempt and three retries
    assertThat(failed.lastError()).isEqualTo("upstream down, attempt 4");

    CollectorStats timedOut = scheduler.stats().get("hangs");
    assertThat(timedOut.failures()).isEqualTo(1);
    assertThat(hangs.attempts).hasValue(4);

    // The successful attempt's point went into the downsampler.
    assertThat(await(repository.series())).containsExactly(SERIES);

    // A second run of the recovered collector delivers at once.
    assertThat(await(scheduler.runNow("recovers"))).isTrue();
    assertThat(scheduler.stats().get("recovers").successes()).isEqualTo(2);
    await(scheduler.close());
    await(downsampler.close());
  }

  /** A collector that fails while asked to, retried by its own client: no scheduler retries. */
  static final class SelfRetrying implements Collector {
    final AtomicInteger attempts = new AtomicInteger();
    volatile boolean failing = true;

    @Override
    public String name() {
      return "self-retrying";
    }

    @Override
    public Duration interval() {
      return Duration.ofHours(1);
    }

    @Override
    public Duration timeout() {
      return Duration.ofSeconds(30); // the scheduler's own, 100 ms, would cut it short
    }

    @Override
    public int retries() {
      return 0;
    }

    @Override
    public Future<List<Point>> collect() {
      int attempt = attempts.incrementAndGet();
      if (failing) {
        return Future.failedFuture(new IllegalStateException("upstream down"));
      }
      // Slower than the scheduler's timeout: only the collector's own lets it deliver.
      Promise<List<Point>> later = Promise.promise();
      vertx.setTimer(
          300,
          id -> later.complete(List.of(new Point(SERIES, NOW.toEpochMilli() + attempt, attempt))));
      return later.future();
    }
  }

  @Test
  void aCollectorMaySetItsTimeoutAndRetriesAndAFailingOneIsLoggedOncePerStreak() {
    Downsampler downsampler =
        Downsampler.create(
            vertx, MetricRepository.inMemory(), new DownsamplerOptions(), new MutableClock(NOW));
    CollectorScheduler scheduler = scheduler(downsampler);
    SelfRetrying collector = new SelfRetrying();
    ch.qos.logback.classic.Logger logger =
        (ch.qos.logback.classic.Logger)
            org.slf4j.LoggerFactory.getLogger(
                dev.homelab.core.metrics.impl.CollectorSchedulerImpl.class);
    ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> logs =
        new ch.qos.logback.core.read.ListAppender<>();
    logs.start();
    logger.addAppender(logs);
    try {
      // The run the scheduler starts at once, then two more on demand.
      scheduler.add(collector);
      Awaitility.await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> scheduler.stats().get("self-retrying").failures() == 1);
      for (int i = 0; i < 2; i++) {
        assertThat(await(scheduler.runNow("self-retrying"))).isFalse();
      }
      assertThat(collector.attempts).as("one attempt per run, no retries").hasValue(3);
      assertThat(scheduler.stats().get("self-retrying").failures()).isEqualTo(3);
      collector.failing = false;
      assertThat(await(scheduler.runNow("self-retrying"))).isTrue();
      assertThat(logs.list)
          .filteredOn(e -> e.getLevel().isGreaterOrEqual(ch.qos.logback.classic.Level.INFO))
          .extracting(ch.qos.logback.classic.spi.ILoggingEvent::getFormattedMessage)
          .containsExactly(
              "Collector self-retrying failed after 0 retries: upstream down (further failures"
                  + " are logged at DEBUG until it delivers again)",
              "Collector self-retrying delivers again");
    } finally {
      logger.detachAppender(logs);
      await(scheduler.close());
      await(downsampler.close());
    }
  }

  @Test
  void runsOfOneCollectorNeverOverlap() throws InterruptedException {
    Downsampler downsampler =
        Downsampler.create(
            vertx, MetricRepository.inMemory(), new DownsamplerOptions(), new MutableClock(NOW));
    CollectorScheduler scheduler =
        CollectorScheduler.create(
            vertx,
            downsampler,
            Duration.ofSeconds(30),
            Duration.ofSeconds(30),
            new MutableClock(NOW));
    Flaky hangs = new Flaky("hangs", 0, true);
    scheduler.add(hangs);
    // The run the scheduler starts at once.
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> hangs.attempts.get() > 0);
    // That run hangs (30 s timeout): asking again does not start a second one.
    assertThat(await(scheduler.runNow("hangs"))).isFalse();
    assertThat(await(scheduler.runNow("hangs"))).isFalse();
    assertThat(hangs.attempts).hasValue(1);
    await(scheduler.close());
  }

  @Test
  void aPausedSchedulerRunsNothingAndARunItInterruptedWritesNothing() throws InterruptedException {
    MetricRepository repository = MetricRepository.inMemory();
    Downsampler downsampler =
        Downsampler.create(vertx, repository, new DownsamplerOptions(), new MutableClock(NOW));
    CollectorScheduler scheduler =
        CollectorScheduler.create(
            vertx,
            downsampler,
            Duration.ofSeconds(30),
            Duration.ofMillis(10),
            new MutableClock(NOW));
    Promise<List<Point>> gate = Promise.promise();
    AtomicInteger attempts = new AtomicInteger();
    scheduler.add(
        new Collector() {
          @Override
          public String name() {
            return "gated";
          }

          @Override
          public Duration interval() {
            return Duration.ofHours(1);
          }

          @Override
          public Future<List<Point>> collect() {
            int attempt = attempts.incrementAndGet();
            Point point = new Point(SERIES, NOW.toEpochMilli() + attempt, attempt);
            return attempt == 1 ? gate.future() : Future.succeededFuture(List.of(point));
          }
        });
    // The run the scheduler starts at once, waiting at the gate.
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> attempts.get() > 0);
    scheduler.pause();
    assertThat(scheduler.isPaused()).isTrue();
    gate.complete(List.of(new Point(SERIES, NOW.toEpochMilli(), 0)));
    assertThat(await(scheduler.runNow("gated"))).as("paused").isFalse();
    assertThat(attempts).hasValue(1);

    scheduler.resume();
    long deadline = System.nanoTime() + 5_000_000_000L;
    boolean ran = false;
    while (!ran && System.nanoTime() < deadline) {
      ran = await(scheduler.runNow("gated")); // false until the interrupted run has ended
    }
    assertThat(ran).isTrue();
    assertThat(attempts).hasValue(2);
    CollectorStats stats = scheduler.stats().get("gated");
    assertThat(stats.successes()).isEqualTo(1);
    assertThat(stats.failures()).isZero();
    assertThat(stats.retries()).isZero();
    // Only the run after resume() wrote: the interrupted run's point was dropped.
    assertThat(
            await(repository.read(SERIES, downsampler.tiers().get(0), 0, NOW.toEpochMilli() + 1000))
                .stream()
                .map(Bucket::start))
        .containsExactly(NOW.toEpochMilli() + 2);
    await(scheduler.close());
    await(downsampler.close());
  }
}
