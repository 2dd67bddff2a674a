package dev.homelab.client.identity;

import dev.homelab.client.internal.JsonFields;
import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * Who the client is, as {@code GET /api/auth/me} reports it.
 *
 * @param id the user's id
 * @param username the user's name
 * @param role the effective role, {@code admin}, {@code user} or {@code viewer}: the user's current
 *     role, narrowed by an API key's scope
 * @param credentialType {@code jwt} or {@code api_key}
 * @param credentialId the JWT's {@code jti} or the API key's id
 * @param expiresAt when the credential expires, or {@code null} if it does not
 */
public record Me(
    String id,
    String username,
    String role,
    String credentialType,
    String credentialId,
    Instant expiresAt) {

  /**
   * Reads the JSON the server sends; unknown fields are ignored.
   *
   * @param json the response body
   * @return the caller
   */
  public static Me fromJson(JsonObject json) {
    return new Me(
        json.getString("id"),
        json.getString("username"),
        json.getString("role"),
        json.getString("credential_type"),
        json.getString("credential_id"),
        JsonFields.instant(json, "expires_at"));
  }

  /**
   * @return the JSON the server sends
   */
  public JsonObject toJson() {
    return new JsonObject()
        .put("id", id)
        .put("username", username)
        .put("role", role)
        .put("credential_type", credentialType)
        .put("credential_id", credentialId)
        .put("expires_at", JsonFields.instant(expiresAt));
  }
}
