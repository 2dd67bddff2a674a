package dev.homelab.core.files;

import dev.homelab.core.ValidationException;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Set;

/**
 * How a new share link behaves.
 *
 * @param validFor how long it works
 * @param maxDownloads how many downloads it allows, or {@code null} for any number
 */
public record ShareSpec(Duration validFor, Integer maxDownloads) {

  /** How long a link works when nothing is said: a week. */
  public static final Duration DEFAULT_VALIDITY = Duration.ofDays(7);

  /** The longest a link may work: a year. */
  public static final Duration MAX_VALIDITY = Duration.ofDays(365);

  /** The most downloads a limit may allow. */
  public static final int MAX_DOWNLOADS = 1_000_000;

  private static final Set<String> FIELDS = Set.of("expires_in_seconds", "max_downloads");

  /** Checks the components. */
  public ShareSpec {
    if (validFor == null) {
      validFor = DEFAULT_VALIDITY;
    }
    if (validFor.compareTo(Duration.ofMinutes(1)) < 0 || validFor.compareTo(MAX_VALIDITY) > 0) {
      throw new ValidationException(
          "expires_in_seconds",
          "expires_in_seconds must be between 60 and " + MAX_VALIDITY.toSeconds());
    }
    if (maxDownloads != null && (maxDownloads < 1 || maxDownloads > MAX_DOWNLOADS)) {
      throw new ValidationException(
          "max_downloads", "max_downloads must be between 1 and " + MAX_DOWNLOADS);
    }
  }

  /**
   * @param json the body of {@code POST /api/files/{id}/shares}
   * @return the spec
   */
  public static ShareSpec fromJson(JsonObject json) {
    for (String name : json.fieldNames()) {
      if (!FIELDS.contains(name)) {
        throw new ValidationException(
            name, "unknown field " + name + "; allowed: expires_in_seconds, max_downloads");
      }
    }
    return new ShareSpec(
        seconds(json.getValue("expires_in_seconds")), integer(json.getValue("max_downloads")));
  }

  private static Duration seconds(Object value) {
    if (value == null) {
      return null;
    }
    if (!(value instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue())) {
      throw new ValidationException("expires_in_seconds", "expires_in_seconds must be an integer");
    }
    long seconds = n.longValue();
    if (seconds < 60 || seconds > MAX_VALIDITY.toSeconds()) {
      throw new ValidationException(
          "expires_in_seconds",
          "expires_in_seconds must be between 60 and " + MAX_VALIDITY.toSeconds());
    }
    return Duration.ofSeconds(seconds);
  }

  private static Integer integer(Object value) {
    if (value == null) {
      return null;
    }
    if (!(value instanceof Number n)
        || n.doubleValue() != Math.rint(n.doubleValue())
        || n.doubleValue() < 1
        || n.doubleValue() > MAX_DOWNLOADS) {
      throw new ValidationException(
          "max_downloads", "max_downloads must be an integer between 1 and " + MAX_DOWNLOADS);
    }
    return n.intValue();
  }
}
