package dev.homelab.core.upstream.frigate;

import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * One camera of Frigate's configuration ({@code /api/config}, section {@code cameras}).
 *
 * @param name the camera's name, the key Frigate's paths use
 * @param friendlyName its display name, or {@code null} when none is configured
 * @param enabled whether the camera is enabled now
 * @param width the detect stream's width in pixels
 * @param height the detect stream's height in pixels
 * @param fps the detect stream's frames per second
 * @param detectEnabled whether object detection is on
 * @param recordEnabled whether recording is on
 * @param snapshotsEnabled whether event snapshots are kept
 * @param audioEnabled whether audio detection is on
 * @param trackedObjects the labels it tracks, such as {@code person}
 * @param zones the names of its zones
 */
public record FrigateCamera(
    String name,
    String friendlyName,
    boolean enabled,
    int width,
    int height,
    int fps,
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
   * @return the camera in the shape of seed 003's {@code GET /api/frigate/cameras} entries
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
        .put("tracked_objects", trackedObjects)
        .put("zones", zones);
  }
}
