package dev.homelab.client.files;

import dev.homelab.client.internal.JsonFields;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;

/**
 * A file, as the {@code /api/files} endpoints report it: its metadata, not its bytes.
 *
 * @param id the file's id
 * @param ownerId the id of the user who owns it
 * @param filename its display name (never a path on the server's disk)
 * @param contentType its media type, as given at upload
 * @param size its length in bytes
 * @param sha256 the SHA-256 of its bytes, 64 lowercase hex digits; the download's {@code ETag}
 * @param tags its tags, lower-case, in the server's order; unmodifiable
 * @param createdAt when it was uploaded
 * @param updatedAt when it was last renamed or retagged
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

  /**
   * Copies the tags; {@code null} becomes none.
   *
   * @param id the file's id
   * @param ownerId the owner's user id
   * @param filename its display name
   * @param contentType its media type
   * @param size its length in bytes
   * @param sha256 the SHA-256 of its bytes, hex
   * @param tags its tags, or {@code null} for none
   * @param createdAt when it was uploaded
   * @param updatedAt when it was last changed
   */
  public StoredFile {
    tags = tags == null ? List.of() : List.copyOf(tags);
  }

  /**
   * Reads the JSON the server sends; unknown fields are ignored.
   *
   * @param json one file
   * @return the file
   */
  public static StoredFile fromJson(JsonObject json) {
    return new StoredFile(
        json.getString("id"),
        json.getString("owner_id"),
        json.getString("filename"),
        json.getString("content_type"),
        json.getLong("size", 0L),
        json.getString("sha256"),
        strings(json.getJsonArray("tags")),
        JsonFields.instant(json, "created_at"),
        JsonFields.instant(json, "updated_at"));
  }

  /**
   * @return the JSON the server sends
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
        .put("created_at", JsonFields.instant(createdAt))
        .put("updated_at", JsonFields.instant(updatedAt));
  }

  /** Reads an array of strings that may be absent, keeping its order. */
  static List<String> strings(JsonArray array) {
    return array == null ? List.of() : array.stream().map(String::valueOf).toList();
  }
}
