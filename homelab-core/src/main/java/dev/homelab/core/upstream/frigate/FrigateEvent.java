package dev.homelab.core.upstream.frigate;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;

/**
 * One detection event of {@code GET /api/events}, read from the 0.13+ shape (scores in {@code
 * data}) or the older one (scores at the top level).
 *
 * @param id its id, such as {@code 1707479767.784216-y40y02}
 * @param camera the camera it happened on
 * @param label what was detected, such as {@code person}
 * @param subLabel a finer label (a face, a plate), or {@code null}
 * @param score the event's best score, 0 to 1 ({@code data.top_score}, or the legacy {@code
 *     top_score})
 * @param startTime when it began
 * @param endTime when it ended, or {@code null} while it is in progress
 * @param hasClip whether a clip can be fetched
 * @param hasSnapshot whether a snapshot can be fetched
 * @param zones the zones it entered
 */
public record FrigateEvent(
    String id,
    String camera,
    String label,
    String subLabel,
    double score,
    Instant startTime,
    Instant endTime,
    boolean hasClip,
    boolean hasSnapshot,
    List<String> zones) {

  /** Copies the zones. */
  public FrigateEvent {
    zones = List.copyOf(zones);
  }

  /**
   * @return whether it is still in progress (no end time yet)
   */
  public boolean inProgress() {
    return endTime == null;
  }

  /**
   * @return the event in the shape of seed 003's {@code GET /api/frigate/events} entries (times as
   *     epoch seconds)
   */
  public JsonObject toJson() {
    return new JsonObject()
        .put("id", id)
        .put("camera", camera)
        .put("label", label)
        .put("sub_label", subLabel)
        .put("score", score)
        .put("start_time", seconds(startTime))
        .put("end_time", endTime == null ? null : seconds(endTime))
        .put("has_snapshot", hasSnapshot)
        .put("has_clip", hasClip)
        .put("zones", zones);
  }

  private static double seconds(Instant instant) {
    return instant.getEpochSecond() + instant.getNano() / 1e9;
  }
}
