package dev.homelab.client.identity;

import dev.homelab.client.internal.JsonFields;
import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * An API key's description; the server never sends the key itself after creation (see {@link
 * CreatedApiKey}).
 *
 * @param id the key's id, used to revoke it
 * @param name the name given at creation
 * @param scope the highest role the key acts with: {@code admin}, {@code user} or {@code viewer}
 * @param createdAt when it was created
 * @param expiresAt when it stops working, or {@code null} if it does not expire
 */
public record ApiKey(String id, String name, String scope, Instant createdAt, Instant expiresAt) {

  /**
   * Reads the JSON the server sends; unknown fields (such as the {@code key} of a new key) are
   * ignored.
   *
   * @param json one key
   * @return the key's description
   */
  public static ApiKey fromJson(JsonObject json) {
    return new ApiKey(
        json.getString("id"),
        json.getString("name"),
        json.getString("scope"),
        JsonFields.instant(json, "created_at"),
        JsonFields.instant(json, "expires_at"));
  }

  /**
   * @return the JSON the server sends
   */
  public JsonObject toJson() {
    return new JsonObject()
        .put("id", id)
        .put("name", name)
        .put("scope", scope)
        .put("created_at", JsonFields.instant(createdAt))
        .put("expires_at", JsonFields.instant(expiresAt));
  }
}
