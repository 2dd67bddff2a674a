package dev.homelab.client.frigate;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * One camera of Frigate's configuration, as {@code GET /api/frigate/cameras} lists it.
 *
 * @param name the camera's name, as the snapshot path takes it
 * @param friendlyName its display name, or {@code null}
 * @param enabled whether it is enabled
 * @param fps the detect stream's frames per second
 * @param width the detect stream's width in pixels
 * @param height the detect stream's height in pixels
 * @param detectEnabled whether object detection is on
 * @param recordEnabled whether recording is on
 * @param snapshotsEnabled whether event snapshots are kept
 * @param audioEnabled whether audio detection is on
 * @param trackedObjects the labels it tracks
 * @param zones its zones
 */
public record FrigateCamera(
    String name,
    String friendlyName,
    boolean enabled,
    int fps,
    int width,
    int height,
    boolean detectEnabled,
    boolean recordEnabled,
    boolean snapshotsEnabled,
    boolean audioEnabled,
    List<String> trackedObjects,
    List<String> zones) {

  /** Copies the lists. */
  public FrigateCamera {
    trackedObjects = List.copyOf(trackedObjects);
    zones = List.copyOf(zones);
  }

  /**
   * Reads the JSON the server sends; unknown fields are ignored.
   *
   * @param json one entry of {@code cameras}
   * @return the camera
   */
  public static FrigateCamera fromJson(JsonObject json) {
    return new FrigateCamera(
        json.getString("name"),
        json.getString("friendly_name"),
        json.getBoolean("enabled", false),
        json.getInteger("fps", 0),
        json.getInteger("width", 0),
        json.getInteger("height", 0),
        json.getBoolean("detect_enabled", false),
        json.getBoolean("record_enabled", false),
        json.getBoolean("snapshots_enabled", false),
        json.getBoolean("audio_enabled", false),
        strings(json.getJsonArray("tracked_objects")),
        strings(json.getJsonArray("zones")));
  }

  /**
   * @return the JSON the server sends
   */
  public JsonObject toJson() {
    return new JsonObject()
        .put("name", name)
        .put("friendly_name", friendlyName)
        .put("enabled", enabled)
        .put("fps", fps)
        .put("width", width)
        .put("height", height)
        .put("detect_enabled", detectEnabled)
        .put("record_enabled", recordEnabled)
        .put("snapshots_enabled", snapshotsEnabled)
        .put("audio_enabled", audioEnabled)
        .put("tracked_objects", new JsonArray(new ArrayList<>(trackedObjects)))
        .put("zones", new JsonArray(new ArrayList<>(zones)));
  }

  static List<String> strings(JsonArray array) {
    List<String> values = new ArrayList<>();
    if (array != null) {
      array.forEach(value -> values.add(String.valueOf(value)));
    }
    return values;
  }
}
