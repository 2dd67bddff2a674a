package dev.homelab.core.access.impl;

import dev.homelab.core.access.ScheduleWindow;
import dev.homelab.core.access.WeeklySchedule;
import java.time.Instant;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;

/**
 * A {@link WeeklySchedule} in the form the decision path reads: day bit masks and minute bounds,
 * and the zone's current UTC offset cached until its next transition, so that a decision computes
 * local time with a few additions instead of a zone-rules lookup.
 */
final class CompiledSchedule {

  private static final long SECONDS_PER_DAY = 86_400;

  /** A UTC offset and the span of epoch seconds it holds for. */
  private record OffsetSpan(long from, long until, int offsetSeconds) {}

  private final ZoneRules rules;
  private final int[] days; // bit 0 = Monday
  private final int[] starts;
  private final int[] ends;
  private volatile OffsetSpan span;

  CompiledSchedule(WeeklySchedule schedule) {
    this.rules = schedule.zone().getRules();
    int size = schedule.windows().size();
    this.days = new int[size];
    this.starts = new int[size];
    this.ends = new int[size];
    for (int i = 0; i < size; i++) {
      ScheduleWindow window = schedule.windows().get(i);
      int mask = 0;
      for (var day : window.days()) {
        mask |= 1 << (day.getValue() - 1);
      }
      days[i] = mask;
      starts[i] = window.startMinute();
      ends[i] = window.endMinute();
    }
  }

  boolean allows(long epochMillis) {
    long epochSecond = Math.floorDiv(epochMillis, 1000);
    OffsetSpan current = span;
    if (current == null || epochSecond < current.from || epochSecond >= current.until) {
      current = spanAt(epochSecond);
      span = current;
    }
    long local = epochSecond + current.offsetSeconds;
    long day = Math.floorDiv(local, SECONDS_PER_DAY);
    int minute = (int) (Math.floorMod(local, SECONDS_PER_DAY) / 60);
    int today = 1 << (int) Math.floorMod(day + 3, 7); // 1970-01-01 was a Thursday
    int yesterday = today == 1 ? 1 << 6 : today >>> 1;
    for (int i = 0; i < days.length; i++) {
      int start = starts[i];
      int end = ends[i];
      if (end > start) {
        if ((days[i] & today) != 0 && minute >= start && minute < end) {
          return true;
        }
      } else if ((days[i] & today) != 0 && minute >= start
          || (days[i] & yesterday) != 0 && minute < end) {
        return true;
      }
    }
    return false;
  }

  private OffsetSpan spanAt(long epochSecond) {
    Instant instant = Instant.ofEpochSecond(epochSecond);
    ZoneOffsetTransition next = rules.nextTransition(instant);
    return new OffsetSpan(
        epochSecond,
        next == null ? Long.MAX_VALUE : next.getInstant().getEpochSecond(),
        rules.getOffset(instant).getTotalSeconds());
  }
}
