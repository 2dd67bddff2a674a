package dev.homelab.client.files;

import dev.homelab.client.internal.JsonFields;
import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * A share link of a file, as {@code /api/files/{id}/shares} reports it. Anyone holding its token
 * downloads that one file from {@code GET /share/{token}} without logging in, until it expires, is
 * revoked or has been downloaded {@code maxDownloads} times. The server keeps only a hash of the
 * token: it is shown once, in the answer of {@link FilesApi#createShare}, and never again. {@link
 * #toString()} leaves the token and the url out, so the value is safe to log.
 *
 * @param id the share's id
 * @param fileId the id of the shared file
 * @param createdAt when it was created
 * @param expiresAt when it stops working
 * @param maxDownloads how many downloads it allows, or {@code null} for no limit
 * @param downloads how many downloads it has served (each that started at byte 0)
 * @param revoked whether its owner revoked it
 * @param token the secret of the link, 43 base64url characters: only in the answer of the creation,
 *     else {@code null}
 * @param url the link's path below the server's base url, {@code /share/<token>}: only in the
 *     answer of the creation, else {@code null}
 */
public record Share(
    String id,
    String fileId,
    Instant createdAt,
    Instant expiresAt,
    Integer maxDownloads,
    int downloads,
    boolean revoked,
    String token,
    String url) {

  /**
   * Reads the JSON the server sends; unknown fields are ignored.
   *
   * @param json one share
   * @return the share
   */
  public static Share fromJson(JsonObject json) {
    return new Share(
        json.getString("id"),
        json.getString("file_id"),
        JsonFields.instant(json, "created_at"),
        JsonFields.instant(json, "expires_at"),
        json.getInteger("max_downloads"),
        json.getInteger("downloads", 0),
        json.getBoolean("revoked", false),
        json.getString("token"),
        json.getString("url"));
  }

  /**
   * @return the JSON the server sends, the token and url included when known: do not log it
   */
  public JsonObject toJson() {
    JsonObject json =
        new JsonObject()
            .put("id", id)
            .put("file_id", fileId)
            .put("created_at", JsonFields.instant(createdAt))
            .put("expires_at", JsonFields.instant(expiresAt))
            .put("max_downloads", maxDownloads)
            .put("downloads", downloads)
            .put("revoked", revoked);
    JsonFields.putIfSet(json, "token", token);
    JsonFields.putIfSet(json, "url", url);
    return json;
  }

  /**
   * @return the share with its token and url masked as {@code ***}
   */
  @Override
  public String toString() {
    return "Share[id="
        + id
        + ", fileId="
        + fileId
        + ", createdAt="
        + createdAt
        + ", expiresAt="
        + expiresAt
        + ", maxDownloads="
        + maxDownloads
        + ", downloads="
        + downloads
        + ", revoked="
        + revoked
        + ", token="
        + (token == null ? "null" : "***")
        + ", url="
        + (url == null ? "null" : "/share/***")
        + "]";
  }
}
