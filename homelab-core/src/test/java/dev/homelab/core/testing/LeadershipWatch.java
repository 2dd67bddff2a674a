package dev.homelab.core.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.homelab.core.leader.Leadership;
import io.vertx.core.Context;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.awaitility.Awaitility;

/**
 * Watches leaderships of one role for the whole of a test, two ways: their handlers count the
 * leaders (a {@code true} while another one has not yet said {@code false} is an overlap), and a
 * thread polls {@link Leadership#isLeader()} of all of them every millisecond. Either sees at most
 * one leader at a time, or {@link #close()} fails the test. A test of a fault that allows a short
 * overlap (a Redis key deleted by hand) gives that overlap's bound instead.
 *
 * <p>Create it before starting the leaderships: it sets their handlers. {@link #polling} watches
 * leaders it can only read, such as whole servers, by polling alone.
 */
public final class LeadershipWatch implements AutoCloseable {

  private final List<Leadership> watched;
  private final List<BooleanSupplier> probes;
  private final AtomicInteger leaders = new AtomicInteger();
  private final List<String> problems = new CopyOnWriteArrayList<>();
  private final List<String> transitions = new CopyOnWriteArrayList<>();
  // What each handler was last told, by index: awaitLeader waits for it to agree with isLeader().
  private final Map<Integer, Boolean> told = new ConcurrentHashMap<>();
  private final Thread poller;
  private final long toleratedNanos;
  private volatile boolean polling = true;

  /**
   * @param leaderships the leaderships of one role, not started yet
   */
  public LeadershipWatch(Leadership... leaderships) {
    this(Duration.ZERO, leaderships);
  }

  /**
   * @param tolerated how long two leaders may overlap, as polled; zero for never
   * @param leaderships the leaderships of one role, not started yet
   */
  public LeadershipWatch(Duration tolerated, Leadership... leaderships) {
    this(tolerated, List.of(leaderships), probes(leaderships));
    for (int i = 0; i < leaderships.length; i++) {
      int index = i;
      String label = "#" + i;
      leaderships[i].handler(
          leading -> {
            transitions.add(label + (leading ? " leads" : " follows"));
            told.put(index, leading);
            if (!Context.isOnEventLoopThread()) {
              problems.add(label + "'s handler ran off an event loop");
            }
            int now = leading ? leaders.incrementAndGet() : leaders.decrementAndGet();
            if (now > 1 && toleratedNanos == 0) {
              problems.add(label + " became the leader while another one still led");
            }
          });
    }
  }

  /**
   * Watches leaders by polling alone.
   *
   * @param leads for each instance, whether it leads now
   * @return a watch whose {@link #awaitLeader} is not available
   */
  public static LeadershipWatch polling(BooleanSupplier... leads) {
    return new LeadershipWatch(Duration.ZERO, List.of(), List.of(leads));
  }

  private static List<BooleanSupplier> probes(Leadership... leaderships) {
    List<BooleanSupplier> probes = new ArrayList<>();
    for (Leadership leadership : leaderships) {
      probes.add(leadership::isLeader);
    }
    return probes;
  }

  private LeadershipWatch(
      Duration tolerated, List<Leadership> watched, List<BooleanSupplier> probes) {
    this.watched = watched;
    this.probes = List.copyOf(probes);
    this.toleratedNanos = tolerated.toNanos();
    poller =
        new Thread(
            () -> {
              long overlapSince = -1; // when the current overlap began, -1 if none
              boolean reported = false;
              while (polling) {
                List<Integer> leading = leading();
                long now = System.nanoTime();
                if (leading.size() <= 1) {
                  overlapSince = -1;
                  reported = false;
                } else if (overlapSince < 0) {
                  overlapSince = now;
                }
                if (overlapSince >= 0 && !reported && now - overlapSince >= toleratedNanos) {
                  problems.add("polled two leaders at once: " + leading);
                  reported = true;
                }
                try {
                  // The watcher samples the leaderships every millisecond: pacing, not waiting.
                  Thread.sleep(1);
                } catch (InterruptedException e) {
                  return;
                }
              }
            },
            "leadership-watch");
    poller.setDaemon(true);
    poller.start();
  }

  /** The indexes of the instances that lead now. */
  private List<Integer> leading() {
    List<Integer> leading = new ArrayList<>();
    for (int i = 0; i < probes.size(); i++) {
      if (probes.get(i).getAsBoolean()) {
        leading.add(i);
      }
    }
    return leading;
  }

  /**
   * Waits until exactly one of the leaderships leads, and its handler has been told.
   *
   * @param within how long to wait at most
   * @return the leader
   */
  public Leadership awaitLeader(Duration within) {
    return awaitLeader(within, null);
  }

  /**
   * Waits until exactly one of the leaderships leads, it is not a given one, and its handler has
   * been told.
   *
   * @param within how long to wait at most
   * @param not a leadership that must not be the leader, or {@code null}
   * @return the leader
   */
  public Leadership awaitLeader(Duration within, Leadership not) {
    List<Integer> leading =
        Awaitility.await("a single new leader; " + transitions)
            .atMost(within)
            .pollInterval(Duration.ofMillis(5))
            .until(
                this::leading,
                now ->
                    now.size() == 1
                        && watched.get(now.get(0)) != not
                        && told.getOrDefault(now.get(0), false));
    return watched.get(leading.get(0));
  }

  /**
   * Checks that the leader stays the same one for a while.
   *
   * @param leader the leader
   * @param during how long to watch
   */
  public void assertStaysLeader(Leadership leader, Duration during) {
    // Held for the whole period: sampled every few milliseconds, failing at the first other answer.
    Awaitility.await()
        .during(during)
        .atMost(during.plusSeconds(5))
        .pollInterval(Duration.ofMillis(5))
        .untilAsserted(
            () ->
                assertThat(leading())
                    .as("leaders; %s", transitions)
                    .containsExactly(watched.indexOf(leader)));
  }

  /**
   * @return every transition seen so far, such as {@code #0 leads}
   */
  public List<String> transitions() {
    return List.copyOf(transitions);
  }

  /** Stops polling and fails if two leaders were ever seen at once. */
  @Override
  public void close() {
    polling = false;
    try {
      poller.join(1000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    assertThat(problems).as("transitions: %s", transitions).isEmpty();
  }
}
