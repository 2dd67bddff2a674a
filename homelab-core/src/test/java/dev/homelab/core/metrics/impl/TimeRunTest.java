package dev.homelab.core.metrics.impl;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * {@link TimeRun} against a {@code TreeMap} doing the same thing, under seeded random operations:
 * mostly appends in time order, some late and duplicate times, ranges, and bounded drops of the
 * oldest, enough of them to make the arrays grow, compact and empty.
 */
class TimeRunTest {

  @Test
  void behavesLikeASortedMapUnderRandomOperations() {
    for (long seed = 1; seed <= 20; seed++) {
      SplittableRandom random = new SplittableRandom(seed);
      TimeRun<String> run = new TimeRun<>();
      TreeMap<Long, String> expected = new TreeMap<>();
      long clock = 0;
      for (int op = 0; op < 5_000; op++) {
        int kind = random.nextInt(100);
        if (kind < 60) { // in order
          clock += 1 + random.nextInt(10);
          String v = "a" + op;
          assertThat(run.putIfAbsent(clock, v)).isEqualTo(expected.putIfAbsent(clock, v) == null);
        } else if (kind < 75) { // late, maybe a time already there
          long t = Math.max(0, clock - random.nextInt(200));
          String v = "l" + op;
          assertThat(run.putIfAbsent(t, v)).isEqualTo(expected.putIfAbsent(t, v) == null);
        } else if (kind < 85) { // replace or insert
          long t = Math.max(0, clock - random.nextInt(200));
          String v = "p" + op;
          run.put(t, v);
          expected.put(t, v);
        } else if (kind < 95) { // drop the oldest, bounded
          long before = clock - random.nextInt(300);
          int limit = 1 + random.nextInt(20);
          int removed = 0;
          while (removed < limit && !expected.isEmpty() && expected.firstKey() < before) {
            expected.pollFirstEntry();
            removed++;
          }
          assertThat(run.removeBefore(before, limit)).isEqualTo(removed);
        } else { // a range
          long from = clock - random.nextInt(400);
          long to = from + random.nextInt(400);
          assertThat(range(run, from, to))
              .isEqualTo(new ArrayList<>(expected.subMap(from, true, to, false).values()));
        }
        assertThat(run.size()).isEqualTo(expected.size());
        if (!expected.isEmpty()) {
          assertThat(run.firstTime()).isEqualTo(expected.firstKey());
        }
      }
      assertThat(range(run, Long.MIN_VALUE, Long.MAX_VALUE))
          .as("seed %d", seed)
          .isEqualTo(new ArrayList<>(expected.values()));
      List<Long> times = new ArrayList<>();
      for (int i = run.indexOf(Long.MIN_VALUE); i < run.end(); i++) {
        times.add(run.timeAt(i));
      }
      assertThat(times).isEqualTo(new ArrayList<>(expected.keySet()));
    }
  }

  @Test
  void droppingEverythingStartsOver() {
    TimeRun<String> run = new TimeRun<>();
    for (int i = 0; i < 100; i++) {
      run.putIfAbsent(i, "v" + i);
    }
    assertThat(run.removeBefore(1_000, 1_000)).isEqualTo(100);
    assertThat(run.size()).isZero();
    assertThat(run.putIfAbsent(5, "again")).isTrue();
    assertThat(range(run, 0, 10)).containsExactly("again");
  }

  @Test
  void aRunThatShrinksKeepsItsValuesAndGrowsAgain() {
    TimeRun<String> run = new TimeRun<>();
    for (int i = 0; i < 1_000; i++) {
      run.putIfAbsent(i, "v" + i);
    }
    assertThat(run.removeBefore(990, Integer.MAX_VALUE)).isEqualTo(990);
    assertThat(range(run, 0, 2_000))
        .containsExactly(
            "v990", "v991", "v992", "v993", "v994", "v995", "v996", "v997", "v998", "v999");
    assertThat(run.putIfAbsent(500, "late")).isTrue();
    for (int i = 1_000; i < 1_100; i++) {
      run.putIfAbsent(i, "v" + i);
    }
    assertThat(run.size()).isEqualTo(111);
    assertThat(range(run, 0, 991)).containsExactly("late", "v990");
    assertThat(range(run, 1_099, 2_000)).containsExactly("v1099");
  }

  private static List<String> range(TimeRun<String> run, long from, long to) {
    List<String> values = new ArrayList<>();
    for (int i = run.indexOf(from); i < run.end() && run.timeAt(i) < to; i++) {
      values.add(run.valueAt(i));
    }
    return values;
  }
}
