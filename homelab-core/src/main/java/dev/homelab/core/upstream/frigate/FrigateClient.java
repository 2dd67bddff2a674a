package dev.homelab.core.upstream.frigate;

import dev.homelab.core.upstream.UpstreamStatus;
import dev.homelab.core.upstream.frigate.impl.FrigateClientImpl;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.List;

/**
 * A client of one Frigate NVR's HTTP API.
 *
 * <p>Every method returns a {@link Future} and may be called from any thread; its callbacks run on
 * a Vert.x event loop. Failures are {@link dev.homelab.core.upstream.UpstreamException}s
 * (unreachable or garbled, too slow, or an error Frigate answered, kept with its status and
 * message) or, for a bad camera name, event id or range, a {@link
 * dev.homelab.core.ValidationException} before any request is sent. User-facing reads are sent
 * once; {@link #collectStats()} is retried with backoff for background collectors. The client owns
 * its HTTP connections: {@link #close()} it.
 */
public interface FrigateClient {

  /**
   * Creates a client.
   *
   * @param vertx the Vert.x instance to run on
   * @param options where Frigate is (copied, then validated)
   * @return the client
   * @throws dev.homelab.core.ValidationException if the options are incomplete
   */
  static FrigateClient create(Vertx vertx, FrigateOptions options) {
    return new FrigateClientImpl(vertx, new FrigateOptions(options).validate());
  }

  /**
   * @return the cameras of {@code /api/config}, in its order
   */
  Future<List<FrigateCamera>> cameras();

  /**
   * Fetches a camera's latest frame as a JPEG of the given height (Frigate keeps the aspect),
   * streamed. Both {@code h} (Frigate 0.14 and older) and {@code height} (0.15+) are sent.
   *
   * @param camera the camera's name: letters, digits, {@code _} and {@code -}
   * @param height 1 to 2160 pixels
   * @return the picture, paused; a 404 of an unknown camera fails with its status and message
   */
  Future<FrigateMedia> snapshot(String camera, int height);

  /**
   * @param query the filters
   * @return the matching events, newest first
   */
  Future<List<FrigateEvent>> events(EventQuery query);

  /**
   * @param id an event id such as {@code 1707479767.784216-y40y02}
   * @return the event's snapshot JPEG, paused
   */
  Future<FrigateMedia> eventSnapshot(String id);

  /**
   * Like {@link #eventClip(String, String)} for the whole clip.
   *
   * @param id an event id
   * @return the clip (MP4), paused
   */
  default Future<FrigateMedia> eventClip(String id) {
    return eventClip(id, null);
  }

  /**
   * @param id an event id
   * @param range one HTTP byte range such as {@code bytes=0-1023}, or {@code null} for all
   * @return the clip (MP4) or the range of it (status 206), paused
   */
  Future<FrigateMedia> eventClip(String id, String range);

  /**
   * @return the stats, sent once (for a user's request)
   */
  Future<FrigateStats> stats();

  /**
   * @return the stats, retried with backoff on failures (for a background collector)
   */
  Future<FrigateStats> collectStats();

  /**
   * @return Frigate's version, such as {@code 0.14.1-f4f3cfa}
   */
  Future<String> version();

  /**
   * @return whether Frigate answers, how fast, and the breaker's state; never fails
   */
  Future<UpstreamStatus> probe();

  /**
   * Closes the connections.
   *
   * @return when closed
   */
  Future<Void> close();
}
