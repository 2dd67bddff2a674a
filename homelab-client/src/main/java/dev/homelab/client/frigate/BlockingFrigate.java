package dev.homelab.client.frigate;

import dev.homelab.client.BlockingHomelabClient;
import dev.homelab.client.internal.Waiter;
import java.nio.file.Path;
import java.util.List;

/**
 * The Frigate endpoints of {@link FrigateApi} for code that waits: each method calls the
 * asynchronous one and waits for its answer, as {@link BlockingHomelabClient} describes. A snapshot
 * is best written to a file ({@link #snapshotToFile}); {@link #snapshot} waits for its head only
 * and hands over the body as a stream. Thread-safe.
 */
public final class BlockingFrigate {

  private final FrigateApi frigate;
  private final Waiter waiter;

  /**
   * @param frigate the asynchronous API to wrap
   * @param timeoutMs the client's timeout, in milliseconds: each call waits at most that, plus a
   *     second of grace
   */
  public BlockingFrigate(FrigateApi frigate, long timeoutMs) {
    this.frigate = frigate;
    this.waiter = new Waiter(timeoutMs);
  }

  /**
   * Like {@link FrigateApi#cameras()}.
   *
   * @return the cameras
   */
  public List<FrigateCamera> cameras() {
    return waiter.await(frigate.cameras());
  }

  /**
   * Like {@link FrigateApi#snapshot(String, int)}: waits for the head, not the body.
   *
   * @param camera the camera's name
   * @param height its height in pixels
   * @return the picture, its body paused: pipe it somewhere, or it holds a connection
   */
  public FrigateSnapshot snapshot(String camera, int height) {
    return waiter.await(frigate.snapshot(camera, height));
  }

  /**
   * Like {@link FrigateApi#snapshotToFile(String, int, Path)}.
   *
   * @param camera the camera's name
   * @param height its height in pixels
   * @param file where to write it
   * @return the number of bytes written
   */
  public Long snapshotToFile(String camera, int height, Path file) {
    return waiter.await(frigate.snapshotToFile(camera, height, file));
  }

  /**
   * Like {@link FrigateApi#events()}.
   *
   * @return the newest events
   */
  public List<FrigateEvent> events() {
    return waiter.await(frigate.events());
  }

  /**
   * Like {@link FrigateApi#events(FrigateEventQuery)}.
   *
   * @param query the filters
   * @return the matching events, newest first
   */
  public List<FrigateEvent> events(FrigateEventQuery query) {
    return waiter.await(frigate.events(query));
  }

  /**
   * Like {@link FrigateApi#stats()}.
   *
   * @return the stats
   */
  public FrigateStats stats() {
    return waiter.await(frigate.stats());
  }

  /**
   * Like {@link FrigateApi#eventSnapshot(String)}: waits for the head, not the body.
   *
   * @param id the event's id
   * @return the picture, its body paused: pipe it somewhere, or it holds a connection
   */
  public FrigateSnapshot eventSnapshot(String id) {
    return waiter.await(frigate.eventSnapshot(id));
  }

  /**
   * Like {@link FrigateApi#eventClip(String)}: waits for the head, not the body.
   *
   * @param id the event's id
   * @return the clip, its body paused
   */
  public FrigateClip eventClip(String id) {
    return waiter.await(frigate.eventClip(id));
  }

  /**
   * Like {@link FrigateApi#eventClip(String, long, long)}: waits for the head, not the body.
   *
   * @param id the event's id
   * @param first the offset of the first byte
   * @param last the offset of the last byte, inclusive, or -1 for the end
   * @return the range, its body paused
   */
  public FrigateClip eventClip(String id, long first, long last) {
    return waiter.await(frigate.eventClip(id, first, last));
  }
}
