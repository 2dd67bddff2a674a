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

  private static final long MILLIS_PER_DAY = 86_400_000;

  /**
   * One local day, or the part of it before the zone's next offset change: while a time falls in
   * {@code [from, until)}, its wall-clock millisecond of the day is {@code time - dayStart}.
   */
  private record Day(long from, long until, long dayStart, int today, int yesterday) {}

  private final ZoneRules rules;
  private final int[] days; // bit 0 = Monday
  private final long[] starts; // milliseconds after local midnight
  private final long[] ends;
  private volatile Day day;

  CompiledSchedule(WeeklySchedule schedule) {
    this.rules = schedule.zone().getRules();
    int size = schedule.windows().size();
    this.days = new int[size];
    this.starts = new long[size];
    this.ends = new long[size];
    for (int i = 0; i < size; i++) {
      ScheduleWindow window = schedule.windows().get(i);
      int mask = 0;
      for (var day : window.days()) {
        mask |= 1 << (day.getValue() - 1);
      }
      days[i] = mask;
      starts[i] = window.startMinute() * 60_000L;
      ends[i] = window.endMinute() * 60_000L;
    }
  }

  boolean allows(long epochMillis) {
    Day current = day;
    if (current == null || epochMillis < current.from || epochMillis >= current.until) {
      current = dayOf(epochMillis);
      day = current;
    }
    long time = epochMillis - current.dayStart; // no division on the decision path
    int today = current.today;
    int yesterday = current.yesterday;
    for (int i = 0; i < days.length; i++) {
      long start = starts[i];
      long end = ends[i];
      if (end > start) {
        if ((days[i] & today) != 0 && time >= start && time < end) {
          return true;
        }
      } else if ((days[i] & today) != 0 && time >= start
          || (days[i] & yesterday) != 0 && time < end) {
        return true;
      }
    }
    return false;
  }

  private Day dayOf(long epochMillis) {
    Instant instant = Instant.ofEpochMilli(epochMillis);
    long offset = rules.getOffset(instant).getTotalSeconds() * 1000L;
    long local = epochMillis + offset;
    long dayStart = Math.floorDiv(local, MILLIS_PER_DAY) * MILLIS_PER_DAY - offset;
    ZoneOffsetTransition next = rules.nextTransition(instant);
    long until = dayStart + MILLIS_PER_DAY;
    if (next != null) {
      until = Math.min(until, next.getInstant().toEpochMilli());
    }
    int today = 1 << (int) Math.floorMod(Math.floorDiv(local, MILLIS_PER_DAY) + 3, 7); // Thursday
    int yesterday = today == 1 ? 1 << 6 : today >>> 1;
    return new Day(epochMillis, until, dayStart, today, yesterday);
  }
}
