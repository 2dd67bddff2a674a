package dev.homelab.core.leader;

import static dev.homelab.core.testing.VertxTesting.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.homelab.core.testing.VertxTesting;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Leader jobs start in order when the role is won, and stop in reverse when it is given up. */
class LeaderJobsTest {

  private final Vertx vertx = VertxTesting.vertx();

  @AfterEach
  void close() {
    await(vertx.close());
  }

  private static LeaderJob recording(String name, List<String> seen) {
    return new LeaderJob() {
      @Override
      public void start() {
        seen.add("start " + name);
      }

      @Override
      public void stop() {
        seen.add("stop " + name);
      }
    };
  }

  @Test
  void jobsStartInOrderAndStopInReverseAndAFailingOneDoesNotStopTheOthers() {
    List<String> seen = new CopyOnWriteArrayList<>();
    LeaderJobs jobs =
        LeaderJobs.create(Leadership.always(vertx, "test.jobs"))
            .add("first", recording("first", seen))
            .add(
                "broken",
                new LeaderJob() {
                  @Override
                  public void start() {
                    throw new IllegalStateException("broken on purpose");
                  }

                  @Override
                  public void stop() {
                    throw new IllegalStateException("broken on purpose");
                  }
                })
            .add("second", recording("second", seen));
    await(jobs.start());
    assertThat(jobs.leadership().isLeader()).isTrue();
    assertThat(seen).containsExactly("start first", "start second");
    await(jobs.close());
    assertThat(seen).containsExactly("start first", "start second", "stop second", "stop first");
    assertThatThrownBy(() -> jobs.add("late", recording("late", seen)))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void aPeriodicJobTicksOnlyWhileLeading() {
    AtomicInteger ticks = new AtomicInteger();
    LeaderJobs jobs =
        LeaderJobs.create(Leadership.always(vertx, "test.periodic"))
            .add(
                "ticker", LeaderJob.periodic(vertx, Duration.ofMillis(10), ticks::incrementAndGet));
    await(jobs.start());
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> ticks.get() >= 3);
    await(jobs.close());
    int stopped = ticks.get();
    // No tick after the close: a timer still set would tick within a few periods.
    Awaitility.await()
        .during(Duration.ofMillis(100))
        .atMost(Duration.ofSeconds(5))
        .until(() -> ticks.get() == stopped);
  }
}
