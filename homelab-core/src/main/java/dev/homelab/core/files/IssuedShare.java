package dev.homelab.core.files;

import io.vertx.core.json.JsonObject;

/**
 * A new share link with its token, shown once: only its hash is stored.
 *
 * @param share the link
 * @param token the secret part of its URL
 */
public record IssuedShare(Share share, String token) {

  /**
   * @param path where the server serves shared files, e.g. {@code /share/}
   * @return the wire form, with {@code token} and {@code url}
   */
  public JsonObject toJson(String path) {
    return share.toJson().put("token", token).put("url", path + token);
  }

  /** Keeps the token out of logs that print the record. */
  @Override
  public String toString() {
    return "IssuedShare[share=" + share + ", token=***]";
  }
}
