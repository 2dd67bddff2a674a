package dev.homelab.client.frigate;

import io.vertx.core.Future;
import java.nio.file.Path;
import java.util.List;

/**
 * The Frigate NVR through the server: {@code /api/frigate}. A server without {@code FRIGATE_URL}
 * answers every call with {@link dev.homelab.client.HomelabNotFoundException} ({@code
 * FRIGATE_NOT_CONFIGURED}); Frigate unreachable or too slow fails with {@link
 * dev.homelab.client.HomelabHttpException} 502 or 504.
 */
public interface FrigateApi {

  /**
   * {@code GET /api/frigate/cameras}.
   *
   * @return the cameras, in Frigate's order
   */
  Future<List<FrigateCamera>> cameras();

  /**
   * {@code GET /api/frigate/camera/{name}/snapshot?h=}: the camera's latest frame, streamed.
   *
   * @param camera the camera's name: 1 to 64 letters, digits, {@code _} or {@code -}
   * @param height its height in pixels, 1 to 2160
   * @return the picture, its body paused; an unknown camera fails with {@link
   *     dev.homelab.client.HomelabNotFoundException}, a bad name or height with {@link
   *     dev.homelab.client.HomelabValidationException}
   */
  Future<FrigateSnapshot> snapshot(String camera, int height);

  /**
   * Like {@link #snapshot}, writing the picture to a file (created or replaced) as it arrives.
   *
   * @param camera the camera's name
   * @param height its height in pixels, 1 to 2160
   * @param file where to write it
   * @return the number of bytes written, once all are
   */
  Future<Long> snapshotToFile(String camera, int height, Path file);

  /**
   * Like {@link #events(FrigateEventQuery)} with {@link FrigateEventQuery#create()}.
   *
   * @return the newest events
   */
  default Future<List<FrigateEvent>> events() {
    return events(FrigateEventQuery.create());
  }

  /**
   * {@code GET /api/frigate/events}.
   *
   * @param query the filters
   * @return the matching events, newest first
   */
  Future<List<FrigateEvent>> events(FrigateEventQuery query);

  /**
   * {@code GET /api/frigate/stats}.
   *
   * @return the stats, in one shape whatever Frigate's version
   */
  Future<FrigateStats> stats();

  /**
   * {@code GET /api/frigate/events/{id}/snapshot}: the event's snapshot, streamed.
   *
   * @param id the event's id, such as {@code 1707479767.784216-y40y02}
   * @return the picture, its body paused; an unknown event, or one without a snapshot, fails with
   *     {@link dev.homelab.client.HomelabNotFoundException}
   */
  Future<FrigateSnapshot> eventSnapshot(String id);

  /**
   * {@code GET /api/frigate/events/{id}/clip}: the event's whole clip, streamed.
   *
   * @param id the event's id
   * @return the clip (status 200), its body paused
   */
  Future<FrigateClip> eventClip(String id);

  /**
   * {@code GET /api/frigate/events/{id}/clip} with {@code Range: bytes=first-last}.
   *
   * @param id the event's id
   * @param first the offset of the first byte, 0 or more
   * @param last the offset of the last byte, inclusive, or -1 for the end of the clip
   * @return the range (status 206, with its {@code Content-Range}), its body paused; a range
   *     outside the clip fails with status 416
   */
  Future<FrigateClip> eventClip(String id, long first, long last);
}
