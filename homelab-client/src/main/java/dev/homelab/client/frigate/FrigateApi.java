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
}
