package dev.homelab.core.files;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A file as its owner sees it.
 *
 * @param id the file's id (a time-ordered UUID)
 * @param ownerId the user it belongs to
 * @param filename the display name (never a path)
 * @param contentType the media type given at upload
 * @param size the size in bytes
 * @param sha256 the SHA-256 of the content, lower-case hex
 * @param tags the tags, lower-case, sorted
 * @param createdAt when it was uploaded
 * @param updatedAt when its name or tags last changed
 */
public record StoredFile(
    String id,
    String ownerId,
    String filename,
    String contentType,
    long size,
    String sha256,
    List<String> tags,
    Instant createdAt,
    Instant updatedAt) {

  /** Checks the components. */
  public StoredFile {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(ownerId, "ownerId");
    Objects.requireNonNull(filename, "filename");
    Objects.requireNonNull(contentType, "contentType");
    Objects.requireNonNull(sha256, "sha256");
    tags = List.copyOf(tags);
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(updatedAt, "updatedAt");
  }

  /**
   * @return the wire form of {@code /api/files}
   */
  public JsonObject toJson() {
    return new JsonObject()
        .put("id", id)
        .put("owner_id", ownerId)
        .put("filename", filename)
        .put("content_type", contentType)
        .put("size", size)
        .put("sha256", sha256)
        .put("tags", new JsonArray(tags))
        .put("created_at", createdAt.toString())
        .put("updated_at", updatedAt.toString());
  }
}
