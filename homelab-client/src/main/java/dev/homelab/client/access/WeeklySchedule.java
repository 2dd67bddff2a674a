package dev.homelab.client.access;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * When in the week a card may be used: {@link ScheduleWindow windows} of wall-clock time in a time
 * zone. A moment is inside the schedule when it is inside any window. The server checks the values
 * (1 to 32 windows, a known zone); this record only carries them.
 *
 * @param timeZone the IANA time zone the windows are in, for example {@code Europe/Rome} or {@code
 *     UTC}
 * @param windows the windows; an unmodifiable copy
 */
public record WeeklySchedule(String timeZone, List<ScheduleWindow> windows) {

  /**
   * Copies the windows; {@code null} becomes an empty list.
   *
   * @param timeZone the time zone
   * @param windows the windows, none of them {@code null}
   */
  public WeeklySchedule {
    windows = windows == null ? List.of() : List.copyOf(windows);
  }

  /**
   * Reads the JSON the server sends; unknown fields are ignored.
   *
   * @param json the schedule
   * @return the schedule
   */
  public static WeeklySchedule fromJson(JsonObject json) {
    JsonArray array = json.getJsonArray("windows", new JsonArray());
    List<ScheduleWindow> windows = new ArrayList<>(array.size());
    for (int i = 0; i < array.size(); i++) {
      windows.add(ScheduleWindow.fromJson(array.getJsonObject(i)));
    }
    return new WeeklySchedule(json.getString("time_zone"), windows);
  }

  /**
   * @return the JSON the server reads and sends
   */
  public JsonObject toJson() {
    JsonArray array = new JsonArray();
    windows.forEach(window -> array.add(window.toJson()));
    return new JsonObject().put("time_zone", timeZone).put("windows", array);
  }
}
