package dev.homelab.client.identity;

import io.vertx.core.json.JsonObject;

/**
 * A successful login, as {@code POST /api/auth/login} answers it. {@link #toString()} leaves the
 * JWT out, so the result is safe to log.
 *
 * @param jwt the session's JWT, sent as {@code Authorization: Bearer}
 * @param expiresInSeconds seconds until the JWT expires
 */
public record LoginResult(String jwt, long expiresInSeconds) {

  /**
   * Reads the JSON the server sends; unknown fields are ignored.
   *
   * @param json the response body
   * @return the result
   */
  public static LoginResult fromJson(JsonObject json) {
    return new LoginResult(json.getString("jwt"), json.getLong("expires_in", 0L));
  }

  /**
   * @return the JSON the server sends, JWT included: do not log it
   */
  public JsonObject toJson() {
    return new JsonObject()
        .put("success", true)
        .put("jwt", jwt)
        .put("expires_in", expiresInSeconds)
        .put("token_type", "Bearer");
  }

  /**
   * @return the result with the JWT masked as {@code ***}
   */
  @Override
  public String toString() {
    return "LoginResult[jwt=***, expiresInSeconds=" + expiresInSeconds + "]";
  }
}
