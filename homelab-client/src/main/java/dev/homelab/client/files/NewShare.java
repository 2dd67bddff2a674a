package dev.homelab.client.files;

import dev.homelab.client.internal.JsonFields;
import io.vertx.core.json.JsonObject;
import java.time.Duration;

/**
 * The body of {@code POST /api/files/{id}/shares}. Fields left {@code null} are not sent, so the
 * server's defaults apply: a link valid for 7 days, without a download limit. Start from {@link
 * #create()}.
 *
 * @param expiresInSeconds how long the link works, 60 to 31536000 seconds (a year), or {@code null}
 *     for 7 days
 * @param maxDownloads how many downloads it allows, 1 to 1000000, or {@code null} for no limit
 */
public record NewShare(Long expiresInSeconds, Integer maxDownloads) {

  private static final NewShare DEFAULTS = new NewShare(null, null);

  /**
   * @return a link with the server's defaults
   */
  public static NewShare create() {
    return DEFAULTS;
  }

  /**
   * @param expiresIn how long the link works, 1 minute to a year; rounded down to seconds
   * @return a copy with that expiry
   */
  public NewShare withExpiresIn(Duration expiresIn) {
    return new NewShare(expiresIn.toSeconds(), maxDownloads);
  }

  /**
   * @param maxDownloads how many downloads the link allows, 1 to 1000000
   * @return a copy with that limit
   */
  public NewShare withMaxDownloads(int maxDownloads) {
    return new NewShare(expiresInSeconds, maxDownloads);
  }

  /**
   * @return the request body: only the fields that are set
   */
  public JsonObject toJson() {
    JsonObject json = new JsonObject();
    JsonFields.putIfSet(json, "expires_in_seconds", expiresInSeconds);
    JsonFields.putIfSet(json, "max_downloads", maxDownloads);
    return json;
  }
}
