package dev.homelab.client.frigate;

import dev.homelab.client.internal.QueryParams;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The filters of {@code GET /api/frigate/events}; immutable, each {@code with} method returns a
 * copy. The server checks the values (422 naming the parameter).
 *
 * @param cameras only these cameras (empty for all)
 * @param labels only these labels, such as {@code person} (empty for all)
 * @param zones only events that entered one of these zones (empty for all)
 * @param after only events that began after this, or {@code null}
 * @param before only events that began before this, or {@code null}
 * @param hasClip only events with (true) or without (false) a clip, or {@code null} for both
 * @param hasSnapshot only events with (true) or without (false) a snapshot, or {@code null}
 * @param limit at most this many events (1 to 1000), or {@code null} for the server's 10
 */
public record FrigateEventQuery(
    List<String> cameras,
    List<String> labels,
    List<String> zones,
    Instant after,
    Instant before,
    Boolean hasClip,
    Boolean hasSnapshot,
    Integer limit) {

  /** Copies the lists. */
  public FrigateEventQuery {
    cameras = List.copyOf(cameras);
    labels = List.copyOf(labels);
    zones = List.copyOf(zones);
  }

  /**
   * @return the newest events, unfiltered
   */
  public static FrigateEventQuery create() {
    return new FrigateEventQuery(List.of(), List.of(), List.of(), null, null, null, null, null);
  }

  /**
   * @param cameras only these cameras
   * @return a copy with them
   */
  public FrigateEventQuery withCameras(String... cameras) {
    return new FrigateEventQuery(
        List.of(cameras), labels, zones, after, before, hasClip, hasSnapshot, limit);
  }

  /**
   * @param labels only these labels
   * @return a copy with them
   */
  public FrigateEventQuery withLabels(String... labels) {
    return new FrigateEventQuery(
        cameras, List.of(labels), zones, after, before, hasClip, hasSnapshot, limit);
  }

  /**
   * @param zones only events that entered one of these zones
   * @return a copy with them
   */
  public FrigateEventQuery withZones(String... zones) {
    return new FrigateEventQuery(
        cameras, labels, List.of(zones), after, before, hasClip, hasSnapshot, limit);
  }

  /**
   * @param after only events that began after this, or {@code null}
   * @param before only events that began before this, or {@code null}
   * @return a copy with the window
   */
  public FrigateEventQuery withWindow(Instant after, Instant before) {
    return new FrigateEventQuery(
        cameras, labels, zones, after, before, hasClip, hasSnapshot, limit);
  }

  /**
   * @param hasClip whether the events have a clip, or {@code null} for both
   * @return a copy with the filter
   */
  public FrigateEventQuery withHasClip(Boolean hasClip) {
    return new FrigateEventQuery(
        cameras, labels, zones, after, before, hasClip, hasSnapshot, limit);
  }

  /**
   * @param hasSnapshot whether the events have a snapshot, or {@code null} for both
   * @return a copy with the filter
   */
  public FrigateEventQuery withHasSnapshot(Boolean hasSnapshot) {
    return new FrigateEventQuery(
        cameras, labels, zones, after, before, hasClip, hasSnapshot, limit);
  }

  /**
   * @param limit at most this many events, 1 to 1000
   * @return a copy with the limit
   */
  public FrigateEventQuery withLimit(int limit) {
    return new FrigateEventQuery(
        cameras, labels, zones, after, before, hasClip, hasSnapshot, limit);
  }

  /**
   * @return the query parameters, without the unset ones
   */
  public Map<String, String> toQueryParams() {
    return new QueryParams()
        .put("camera", cameras.isEmpty() ? null : String.join(",", cameras))
        .put("label", labels.isEmpty() ? null : String.join(",", labels))
        .put("zone", zones.isEmpty() ? null : String.join(",", zones))
        .put("after", after)
        .put("before", before)
        .put("has_clip", hasClip)
        .put("has_snapshot", hasSnapshot)
        .put("limit", limit)
        .build();
  }
}
