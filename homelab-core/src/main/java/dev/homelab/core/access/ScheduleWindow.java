package dev.homelab.core.access;

import dev.homelab.core.ValidationException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.DayOfWeek;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A weekly window of wall-clock time: on each of {@code days}, from {@code start} until {@code
 * end}. When {@code end} is earlier than {@code start} the window crosses midnight and ends on the
 * next day, so {@code fri 22:00-06:00} covers Friday night into Saturday morning.
 *
 * @param days the days the window starts on
 * @param startMinute the start, in minutes after midnight (0 to 1439)
 * @param endMinute the end, in minutes after midnight (1 to 1440, where 1440 is {@code 24:00}),
 *     exclusive
 */
public record ScheduleWindow(Set<DayOfWeek> days, int startMinute, int endMinute) {

  private static final Pattern TIME = Pattern.compile("([01][0-9]|2[0-4]):([0-5][0-9])");

  /** Checks and copies the components. */
  public ScheduleWindow {
    if (days == null || days.isEmpty()) {
      throw new ValidationException("schedule.windows.days", "a window needs at least one day");
    }
    days = Set.copyOf(EnumSet.copyOf(days));
    if (startMinute < 0 || startMinute >= 1440) {
      throw new ValidationException("schedule.windows.start", "start must be 00:00 to 23:59");
    }
    if (endMinute < 1 || endMinute > 1440) {
      throw new ValidationException("schedule.windows.end", "end must be 00:01 to 24:00");
    }
    if (startMinute == endMinute) {
      throw new ValidationException(
          "schedule.windows.end", "end must differ from start (use 00:00-24:00 for a whole day)");
    }
  }

  /**
   * @return whether the window ends on the day after it starts
   */
  public boolean crossesMidnight() {
    return endMinute < startMinute;
  }

  /**
   * @param json {@code {"days": ["mon", ...], "start": "HH:MM", "end": "HH:MM"}}
   * @return the window
   * @throws ValidationException naming the field
   */
  public static ScheduleWindow fromJson(Object json) {
    if (!(json instanceof JsonObject window)) {
      throw new ValidationException("schedule.windows", "each window must be a JSON object");
    }
    for (String field : window.fieldNames()) {
      if (!Set.of("days", "start", "end").contains(field)) {
        throw new ValidationException(
            "schedule.windows." + field, field + " is not a field of a schedule window");
      }
    }
    if (!(window.getValue("days") instanceof JsonArray days) || days.isEmpty()) {
      throw new ValidationException(
          "schedule.windows.days", "days must be a non-empty array like [\"mon\", \"tue\"]");
    }
    EnumSet<DayOfWeek> parsed = EnumSet.noneOf(DayOfWeek.class);
    for (Object day : days) {
      parsed.add(day(day));
    }
    int start = minute("start", window.getValue("start"));
    if (start == 1440) {
      throw new ValidationException("schedule.windows.start", "start must be 00:00 to 23:59");
    }
    int end = minute("end", window.getValue("end"));
    return new ScheduleWindow(parsed, start, end == 0 ? 1440 : end);
  }

  /**
   * @return the wire form, days in week order
   */
  public JsonObject toJson() {
    JsonArray names = new JsonArray();
    EnumSet.copyOf(days).forEach(d -> names.add(d.name().substring(0, 3).toLowerCase(Locale.ROOT)));
    return new JsonObject()
        .put("days", names)
        .put("start", time(startMinute))
        .put("end", time(endMinute));
  }

  private static DayOfWeek day(Object value) {
    if (value instanceof String name && name.length() >= 3) {
      String lower = name.toLowerCase(Locale.ROOT);
      for (DayOfWeek day : DayOfWeek.values()) {
        String full = day.name().toLowerCase(Locale.ROOT);
        if (full.equals(lower) || full.substring(0, 3).equals(lower)) {
          return day;
        }
      }
    }
    throw new ValidationException(
        "schedule.windows.days", "days must be mon, tue, wed, thu, fri, sat or sun");
  }

  private static int minute(String field, Object value) {
    Matcher matcher = value instanceof String text ? TIME.matcher(text) : null;
    if (matcher == null || !matcher.matches()) {
      throw new ValidationException(
          "schedule.windows." + field, field + " must be a time of day like \"08:30\"");
    }
    int minutes = Integer.parseInt(matcher.group(1)) * 60 + Integer.parseInt(matcher.group(2));
    if (minutes > 1440) {
      throw new ValidationException("schedule.windows." + field, field + " must be 00:00 to 24:00");
    }
    return minutes;
  }

  private static String time(int minutes) {
    return String.format(Locale.ROOT, "%02d:%02d", minutes / 60, minutes % 60);
  }
}
