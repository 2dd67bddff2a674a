package dev.homelab.core.access;

import dev.homelab.core.ValidationException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * When in the week a card may be used: {@link ScheduleWindow windows} of wall-clock time in a time
 * zone. A moment is inside the schedule when it is inside any window.
 *
 * <p>Windows are wall-clock times, so daylight saving time moves them with the clock: {@code
 * 08:00-18:00} means eight in the morning local time in summer and in winter. On the night the
 * clocks go forward, the skipped hour does not exist and a window over it is an hour shorter; on
 * the night they go back, the repeated hour happens twice and is inside a window both times.
 *
 * @param zone the time zone the windows are in
 * @param windows the windows, 1 to {@value #MAX_WINDOWS}
 */
public record WeeklySchedule(ZoneId zone, List<ScheduleWindow> windows) {

  /** The most windows in one schedule. */
  public static final int MAX_WINDOWS = 32;

  /** Checks and copies the components. */
  public WeeklySchedule {
    if (zone == null) {
      throw new ValidationException("schedule.time_zone", "a schedule needs a time zone");
    }
    if (windows == null || windows.isEmpty() || windows.size() > MAX_WINDOWS) {
      throw new ValidationException(
          "schedule.windows", "a schedule needs 1 to " + MAX_WINDOWS + " windows");
    }
    windows = List.copyOf(windows);
  }

  /**
   * @param instant a moment
   * @return whether the moment is inside one of the windows
   */
  public boolean allows(Instant instant) {
    LocalDateTime local = LocalDateTime.ofInstant(instant, zone);
    return allows(local.getDayOfWeek(), local.getHour() * 60 + local.getMinute());
  }

  /**
   * @param day a day of the week
   * @param minute a minute of that day, 0 to 1439
   * @return whether that wall-clock minute is inside one of the windows
   */
  public boolean allows(DayOfWeek day, int minute) {
    DayOfWeek previous = day.minus(1);
    for (ScheduleWindow window : windows) {
      Set<DayOfWeek> days = window.days();
      if (window.crossesMidnight()) {
        if (days.contains(day) && minute >= window.startMinute()
            || days.contains(previous) && minute < window.endMinute()) {
          return true;
        }
      } else if (days.contains(day)
          && minute >= window.startMinute()
          && minute < window.endMinute()) {
        return true;
      }
    }
    return false;
  }

  /**
   * @param json {@code {"time_zone": "Europe/Rome", "windows": [...]}}, or {@code null}
   * @return the schedule, or {@code null} (no schedule: any time) for a JSON null
   * @throws ValidationException naming the field
   */
  public static WeeklySchedule fromJson(Object json) {
    if (json == null) {
      return null;
    }
    if (!(json instanceof JsonObject schedule)) {
      throw new ValidationException("schedule", "schedule must be a JSON object or null");
    }
    for (String field : schedule.fieldNames()) {
      if (!Set.of("time_zone", "windows").contains(field)) {
        throw new ValidationException("schedule." + field, field + " is not a field of a schedule");
      }
    }
    ZoneId zone;
    try {
      if (!(schedule.getValue("time_zone") instanceof String name)) {
        throw new DateTimeException("missing");
      }
      zone = ZoneId.of(name);
    } catch (DateTimeException e) {
      throw new ValidationException(
          "schedule.time_zone",
          "time_zone is required: an IANA zone like \"Europe/Rome\" or \"UTC\"");
    }
    if (!(schedule.getValue("windows") instanceof JsonArray array)) {
      throw new ValidationException("schedule.windows", "windows must be an array of windows");
    }
    List<ScheduleWindow> windows = new ArrayList<>(array.size());
    for (Object window : array) {
      windows.add(ScheduleWindow.fromJson(window));
    }
    return new WeeklySchedule(zone, windows);
  }

  /**
   * @return the wire form
   */
  public JsonObject toJson() {
    JsonArray array = new JsonArray();
    windows.forEach(w -> array.add(w.toJson()));
    return new JsonObject().put("time_zone", zone.getId()).put("windows", array);
  }
}
