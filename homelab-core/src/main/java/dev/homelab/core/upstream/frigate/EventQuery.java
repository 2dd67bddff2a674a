package dev.homelab.core.upstream.frigate;

import dev.homelab.core.ValidationException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The filters of {@code GET /api/events}: cameras, labels, zones, a time window, whether a clip or
 * a snapshot exists, a minimum score and a limit. Each value is checked when it is set.
 *
 * <p>Mutable, fluent, not thread-safe; the client reads it when the request is sent.
 */
public final class EventQuery {

  /** The limit by default: 10 events (seed 003). */
  public static final int DEFAULT_LIMIT = 10;

  /** The largest limit accepted: 1000. */
  public static final int MAX_LIMIT = 1000;

  static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");

  private List<String> cameras = List.of();
  private List<String> labels = List.of();
  private List<String> zones = List.of();
  private Instant after;
  private Instant before;
  private Boolean hasClip;
  private Boolean hasSnapshot;
  private Double minScore;
  private int limit = DEFAULT_LIMIT;

  /**
   * @return a query of the newest {@link #DEFAULT_LIMIT} events, unfiltered
   */
  public static EventQuery create() {
    return new EventQuery();
  }

  /**
   * @param cameras only events of these cameras (none for all)
   * @return this query
   * @throws ValidationException (field {@code camera}) if a name is not a camera name
   */
  public EventQuery cameras(String... cameras) {
    this.cameras = names("camera", cameras);
    return this;
  }

  /**
   * @param labels only events with these labels, such as {@code person} (none for all)
   * @return this query
   * @throws ValidationException (field {@code label}) if a label has other characters than letters,
   *     digits, {@code _} and {@code -}
   */
  public EventQuery labels(String... labels) {
    this.labels = names("label", labels);
    return this;
  }

  /**
   * @param zones only events that entered one of these zones (none for all)
   * @return this query
   * @throws ValidationException (field {@code zone}) if a name is not a zone name
   */
  public EventQuery zones(String... zones) {
    this.zones = names("zone", zones);
    return this;
  }

  /**
   * @param after only events that began after this, or {@code null}
   * @param before only events that began before this, or {@code null}
   * @return this query
   * @throws ValidationException (field {@code before}) if it is not after {@code after}
   */
  public EventQuery between(Instant after, Instant before) {
    if (after != null && before != null && !before.isAfter(after)) {
      throw new ValidationException("before", "must be later than after");
    }
    this.after = after;
    this.before = before;
    return this;
  }

  /**
   * @param hasClip only events with (true) or without (false) a clip; {@code null} for both
   * @return this query
   */
  public EventQuery hasClip(Boolean hasClip) {
    this.hasClip = hasClip;
    return this;
  }

  /**
   * @param hasSnapshot only events with (true) or without (false) a snapshot; {@code null} for both
   * @return this query
   */
  public EventQuery hasSnapshot(Boolean hasSnapshot) {
    this.hasSnapshot = hasSnapshot;
    return this;
  }

  /**
   * @param minScore only events scoring at least this, 0 to 1, or {@code null}
   * @return this query
   * @throws ValidationException (field {@code min_score}) if out of range
   */
  public EventQuery minScore(Double minScore) {
    if (minScore != null && !(minScore >= 0 && minScore <= 1)) {
      throw new ValidationException("min_score", "must be between 0 and 1");
    }
    this.minScore = minScore;
    return this;
  }

  /**
   * @param limit at most this many events, newest first, 1 to {@link #MAX_LIMIT}
   * @return this query
   * @throws ValidationException (field {@code limit}) if out of range
   */
  public EventQuery limit(int limit) {
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new ValidationException("limit", "must be between 1 and " + MAX_LIMIT);
    }
    this.limit = limit;
    return this;
  }

  /**
   * @return the query parameters Frigate reads (the singular names with comma lists, which every
   *     version reads), thumbnails left out (they are base64 JPEGs)
   */
  public Map<String, String> toParameters() {
    Map<String, String> query = new LinkedHashMap<>();
    if (!cameras.isEmpty()) {
      query.put("camera", String.join(",", cameras));
    }
    if (!labels.isEmpty()) {
      query.put("label", String.join(",", labels));
    }
    if (!zones.isEmpty()) {
      query.put("zone", String.join(",", zones));
    }
    if (after != null) {
      query.put("after", seconds(after));
    }
    if (before != null) {
      query.put("before", seconds(before));
    }
    if (hasClip != null) {
      query.put("has_clip", hasClip ? "1" : "0");
    }
    if (hasSnapshot != null) {
      query.put("has_snapshot", hasSnapshot ? "1" : "0");
    }
    if (minScore != null) {
      query.put("min_score", minScore.toString());
    }
    query.put("limit", Integer.toString(limit));
    query.put("include_thumbnails", "0");
    return query;
  }

  private static String seconds(Instant instant) {
    return java.math.BigDecimal.valueOf(instant.getEpochSecond())
        .add(java.math.BigDecimal.valueOf(instant.getNano(), 9))
        .toPlainString();
  }

  private static List<String> names(String field, String... values) {
    for (String value : values) {
      if (value == null || !NAME.matcher(value).matches()) {
        throw new ValidationException(field, "use 1 to 64 letters, digits, '_' or '-'");
      }
    }
    return List.of(values);
  }
}
