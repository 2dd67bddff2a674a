package dev.homelab.client.frigate;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One detection event, as {@code GET /api/frigate/events} lists it. Times are Unix seconds with a
 * fraction, as Frigate gives them; {@link #start()} and {@link #end()} read them as instants.
 *
 * @param id its id, such as {@code 1707479767.784216-y40y02}
 * @param camera the camera it happened on
 * @param label what was detected, such as {@code person}
 * @param subLabel a finer label, or {@code null}
 * @param score its best score, 0 to 1
 * @param startTime when it began, in Unix seconds
 * @param endTime when it ended, in Unix seconds, or {@code null} while in progress
 * @param hasSnapshot whether it has a snapshot
 * @param hasClip whether it has a clip
 * @param zones the zones it entered
 */
public record FrigateEvent(
    String id,
    String camera,
    String label,
    String subLabel,
    double score,
    double startTime,
    Double endTime,
    boolean hasSnapshot,
    boolean hasClip,
    List<String> zones) {

  /** Copies the zones. */
  public FrigateEvent {
    zones = List.copyOf(zones);
  }

  /**
   * Reads the JSON the server sends; unknown fields are ignored.
   *
   * @param json one entry of {@code events}
   * @return the event
   */
  public static FrigateEvent fromJson(JsonObject json) {
    return new FrigateEvent(
        json.getString("id"),
        json.getString("camera"),
        json.getString("label"),
        json.getString("sub_label"),
        json.getDouble("score", 0.0),
        json.getDouble("start_time", 0.0),
        json.getDouble("end_time"),
        json.getBoolean("has_snapshot", false),
        json.getBoolean("has_clip", false),
        FrigateCamera.strings(json.getJsonArray("zones")));
  }

  /**
   * @return when it began
   */
  public Instant start() {
    return instant(startTime);
  }

  /**
   * @return when it ended, or {@code null} while in progress
   */
  public Instant end() {
    return endTime == null ? null : instant(endTime);
  }

  /**
   * @return the JSON the server sends
   */
  public JsonObject toJson() {
    return new JsonObject()
        .put("id", id)
        .put("camera", camera)
        .put("label", label)
        .put("sub_label", subLabel)
        .put("score", score)
        .put("start_time", startTime)
        .put("end_time", endTime)
        .put("has_snapshot", hasSnapshot)
        .put("has_clip", hasClip)
        .put("zones", new JsonArray(new ArrayList<>(zones)));
  }

  private static Instant instant(double seconds) {
    long whole = (long) Math.floor(seconds);
    return Instant.ofEpochSecond(whole, Math.round((seconds - whole) * 1e6) * 1000);
  }
}
