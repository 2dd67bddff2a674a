package dev.homelab.core.files;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Objects;

/**
 * A resumable upload: the length announced when it was created and how much of it is stored.
 *
 * @param id the upload's id
 * @param ownerId who uploads
 * @param length the announced length in bytes
 * @param offset how many bytes are stored durably
 * @param file the file's name, type and tags
 * @param fileId the file created when the last byte arrived, or {@code null}
 * @param createdAt when it was created
 * @param expiresAt when an unfinished upload is dropped
 */
public record UploadSession(
    String id,
    String ownerId,
    long length,
    long offset,
    NewFile file,
    String fileId,
    Instant createdAt,
    Instant expiresAt) {

  /** Checks the components. */
  public UploadSession {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(ownerId, "ownerId");
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(expiresAt, "expiresAt");
  }

  /**
   * @return whether every byte arrived and the file exists
   */
  public boolean isComplete() {
    return fileId != null;
  }

  /**
   * @param newOffset the stored length
   * @param newExpiry the new expiry
   * @return this session at another offset
   */
  public UploadSession at(long newOffset, Instant newExpiry) {
    return new UploadSession(id, ownerId, length, newOffset, file, fileId, createdAt, newExpiry);
  }

  /**
   * @param storedFile the file made of the upload
   * @return this session, complete
   */
  public UploadSession completedAs(StoredFile storedFile) {
    return new UploadSession(
        id, ownerId, length, length, file, storedFile.id(), createdAt, expiresAt);
  }

  /**
   * @param storedFile the file made of the upload, or {@code null}
   * @return the wire form of {@code GET /api/files/uploads/{id}}
   */
  public JsonObject toJson(StoredFile storedFile) {
    return new JsonObject()
        .put("id", id)
        .put("length", length)
        .put("offset", offset)
        .put("filename", file.filename())
        .put("content_type", file.contentType())
        .put("tags", new JsonArray(file.tags()))
        .put("created_at", createdAt.toString())
        .put("expires_at", expiresAt.toString())
        .put("file", storedFile == null ? null : storedFile.toJson());
  }
}
