package dev.homelab.core.files;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Objects;

/**
 * A share link of one file: anyone with its token downloads the file, until it expires, is revoked
 * or has been downloaded {@code maxDownloads} times.
 *
 * @param id the link's id
 * @param fileId the file it opens
 * @param createdAt when it was made
 * @param expiresAt when it stops working
 * @param maxDownloads how many downloads it allows, or {@code null} for any number
 * @param downloads how many it served
 * @param revoked whether its owner revoked it
 */
public record Share(
    String id,
    String fileId,
    Instant createdAt,
    Instant expiresAt,
    Integer maxDownloads,
    int downloads,
    boolean revoked) {

  /** Checks the components. */
  public Share {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(fileId, "fileId");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(expiresAt, "expiresAt");
  }

  /**
   * @return the wire form (without any token)
   */
  public JsonObject toJson() {
    return new JsonObject()
        .put("id", id)
        .put("file_id", fileId)
        .put("created_at", createdAt.toString())
        .put("expires_at", expiresAt.toString())
        .put("max_downloads", maxDownloads)
        .put("downloads", downloads)
        .put("revoked", revoked);
  }
}
