package dev.homelab.core.metrics;

import static dev.homelab.core.testing.VertxTesting.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.homelab.core.store.Storage;
import dev.homelab.core.store.StorageOptions;
import dev.homelab.core.testing.MutableClock;
import dev.homelab.core.testing.PostgresExtension;
import dev.homelab.core.testing.VertxTesting;
import io.vertx.core.Vertx;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A roll-up killed with SIGKILL in the middle, in a JVM of its own, and finished by a new
 * downsampler: every tier equals the brute-force answer from the points, with no bucket twice.
 */
class RollupCrashIT {

  @RegisterExtension static final PostgresExtension PG = new PostgresExtension();

  private static Vertx vertx;

  @TempDir Path dir;

  @BeforeAll
  static void startVertx() {
    vertx = VertxTesting.vertx();
  }

  @AfterAll
  static void stopVertx() {
    await(vertx.close());
  }

  @Test
  void sqliteRollUpKilledMidwayEndsExact() throws Exception {
    crashAndRecover("sqlite:" + dir.resolve("crash.db"), 11, "1m", 3);
  }

  @Test
  void postgresRollUpKilledMidwayEndsExact() throws Exception {
    crashAndRecover(PG.uriOf(PG.newDatabase()), 12, "5m", 3);
  }

  private void crashAndRecover(String uri, long seed, String killAfterTier, long killAfterMillis)
      throws Exception {
    Process child =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                RollupCrashChild.class.getName(),
                uri,
                Long.toString(seed))
            .redirectErrorStream(true)
            .start();
    try (BufferedReader out =
        new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      waitFor(out, "rolling");
    }
    Storage storage = await(Storage.open(vertx, StorageOptions.fromUri(uri)));
    try {
      // Kill once a tier's first roll-up step has committed, many steps before the end (one
      // bucket per step: 360 for 1m, then 72 for 5m, 12 for 30m, 6 for 1h).
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (await(storage.metrics().watermarks()).getOrDefault(killAfterTier, 0L) == 0) {
        assertThat(System.nanoTime()).as("roll-up started in time").isLessThan(deadline);
        Thread.sleep(2);
      }
      Thread.sleep(killAfterMillis);
      child.destroyForcibly(); // SIGKILL: no shutdown hook, no rollback, no close
      assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();

      List<Tier> tiers = RollupCrashChild.options().getTiers();
      Tier last = tiers.get(tiers.size() - 1);
      Map<String, Long> marks = await(storage.metrics().watermarks());
      MutableClock clock =
          new MutableClock(
              RollupCrashChild.START
                  .plus(RollupCrashChild.SPAN)
                  .plus(java.time.Duration.ofHours(2)));
      Downsampler downsampler =
          Downsampler.create(vertx, storage.metrics(), RollupCrashChild.options(), clock);
      await(downsampler.start());
      long finalMark = downsampler.watermarks().get(last.name());
      await(downsampler.rollUp());
      // The kill must have come mid-way for the test to mean anything.
      assertThat(marks.getOrDefault(last.name(), 0L))
          .as("the 1h tier was not finished when the child was killed")
          .isLessThan(downsampler.watermarks().get(last.name()));
      assertThat(finalMark).isEqualTo(marks.getOrDefault(last.name(), 0L));

      Map<SeriesKey, TreeMap<Long, Double>> kept =
          RollupCrashChild.kept(RollupCrashChild.points(seed));
      for (Tier tier : tiers) {
        long closedUpTo = tier.isRaw() ? Long.MAX_VALUE : downsampler.watermarks().get(tier.name());
        for (SeriesKey series : RollupCrashChild.SERIES) {
          List<Bucket> stored = await(storage.metrics().read(series, tier, 0, closedUpTo));
          assertThat(stored)
              .as("%s on %s", series, tier.name())
              .isEqualTo(DownsamplerContract.bruteForce(kept.get(series), tier, 0, closedUpTo));
        }
      }
      await(downsampler.close());
    } finally {
      await(storage.close());
    }
  }

  private static void waitFor(BufferedReader out, String line) throws IOException {
    String read;
    StringBuilder seen = new StringBuilder();
    while ((read = out.readLine()) != null) {
      if (read.equals(line)) {
        return;
      }
      seen.append(read).append('\n');
    }
    throw new AssertionError("the child ended before printing " + line + ":\n" + seen);
  }
}
