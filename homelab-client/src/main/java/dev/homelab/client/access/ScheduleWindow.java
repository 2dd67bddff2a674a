package dev.homelab.client.access;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * A weekly window of wall-clock time in a {@link WeeklySchedule}: on each of {@code days}, from
 * {@code start} until {@code end} (exclusive). When {@code end} is earlier than {@code start} the
 * window crosses midnight and ends on the next day; {@code 00:00} to {@code 24:00} is a whole day.
 * The server checks the values; this record only carries them.
 *
 * @param days the days the window starts on: {@code mon}, {@code tue}, {@code wed}, {@code thu},
 *     {@code fri}, {@code sat} or {@code sun}; an unmodifiable copy
 * @param start the start, {@code HH:MM}
 * @param end the end, {@code HH:MM}, up to {@code 24:00}
 */
public record ScheduleWindow(List<String> days, String start, String end) {

  /**
   * Copies the days; {@code null} becomes an empty list.
   *
   * @param days the days
   * @param start the start, {@code HH:MM}
   * @param end the end, {@code HH:MM}
   */
  public ScheduleWindow {
    days = days == null ? List.of() : List.copyOf(days);
  }

  /**
   * Reads the JSON the server sends; unknown fields are ignored.
   *
   * @param json one window
   * @return the window
   */
  public static ScheduleWindow fromJson(JsonObject json) {
    JsonArray array = json.getJsonArray("days", new JsonArray());
    List<String> days = new ArrayList<>(array.size());
    for (Object day : array) {
      days.add(String.valueOf(day));
    }
    return new ScheduleWindow(days, json.getString("start"), json.getString("end"));
  }

  /**
   * @return the JSON the server reads and sends
   */
  public JsonObject toJson() {
    return new JsonObject()
        .put("days", new JsonArray(new ArrayList<>(days)))
        .put("start", start)
        .put("end", end);
  }
}
