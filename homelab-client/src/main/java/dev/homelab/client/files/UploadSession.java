package dev.homelab.client.files;

import dev.homelab.client.internal.JsonFields;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;

/**
 * A resumable (tus) upload, as {@code GET /api/files/uploads/{id}} reports it. Its bytes go up with
 * {@code PATCH} requests; once {@link #offset()} reaches {@link #length()} the server creates the
 * file, and {@link #file()} is set. An unfinished upload expires {@code FILES_UPLOAD_EXPIRY} (24
 * hours by default) after its last {@code PATCH}.
 *
 * @param id the upload's id, the last segment of its tus url
 * @param length the total length in bytes, as declared at creation
 * @param offset how many bytes the server holds
 * @param filename the display name the file will have
 * @param contentType the media type it will have
 * @param tags the tags it will have; unmodifiable
 * @param createdAt when the upload was created
 * @param expiresAt when it expires unless a {@code PATCH} comes first
 * @param file the file, once the upload is complete, else {@code null}
 */
public record UploadSession(
    String id,
    long length,
    long offset,
    String filename,
    String contentType,
    List<String> tags,
    Instant createdAt,
    Instant expiresAt,
    StoredFile file) {

  /** The path of the tus endpoint; an upload's url is this, a slash and its id. */
  public static final String UPLOADS_PATH = "/api/files/uploads";

  /**
   * Copies the tags; {@code null} becomes none.
   *
   * @param id the upload's id
   * @param length the total length
   * @param offset the bytes the server holds
   * @param filename the display name
   * @param contentType the media type
   * @param tags the tags, or {@code null} for none
   * @param createdAt when it was created
   * @param expiresAt when it expires
   * @param file the file once complete, or {@code null}
   */
  public UploadSession {
    tags = tags == null ? List.of() : List.copyOf(tags);
  }

  /**
   * Reads the JSON the server sends; unknown fields are ignored.
   *
   * @param json one upload
   * @return the upload
   */
  public static UploadSession fromJson(JsonObject json) {
    JsonObject file = json.getJsonObject("file");
    return new UploadSession(
        json.getString("id"),
        json.getLong("length", 0L),
        json.getLong("offset", 0L),
        json.getString("filename"),
        json.getString("content_type"),
        StoredFile.strings(json.getJsonArray("tags")),
        JsonFields.instant(json, "created_at"),
        JsonFields.instant(json, "expires_at"),
        file == null ? null : StoredFile.fromJson(file));
  }

  /**
   * @return the path of this upload's tus url below the server's base url, which {@link
   *     FilesApi#resumeUpload} accepts
   */
  public String url() {
    return UPLOADS_PATH + "/" + id;
  }

  /**
   * @return {@code true} once every byte is in and the file exists
   */
  public boolean isComplete() {
    return file != null;
  }

  /**
   * @return the JSON the server sends
   */
  public JsonObject toJson() {
    return new JsonObject()
        .put("id", id)
        .put("length", length)
        .put("offset", offset)
        .put("filename", filename)
        .put("content_type", contentType)
        .put("tags", new JsonArray(tags))
        .put("created_at", JsonFields.instant(createdAt))
        .put("expires_at", JsonFields.instant(expiresAt))
        .put("file", file == null ? null : file.toJson());
  }
}
