package dev.homelab.client.identity;

import dev.homelab.client.internal.JsonFields;
import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * A user account, as the {@code /api/users} endpoints report it; the server never sends a password
 * or its hash.
 *
 * @param id the user's id
 * @param username the login name, lower case
 * @param role {@code admin}, {@code user} or {@code viewer}
 * @param disabled {@code true} if the user may not log in and their credentials are refused
 * @param builtin {@code true} for the built-in {@code admin}, which cannot be changed or deleted
 * @param createdAt when it was created
 * @param updatedAt when it was last changed
 */
public record User(
    String id,
    String username,
    String role,
    boolean disabled,
    boolean builtin,
    Instant createdAt,
    Instant updatedAt) {

  /**
   * Reads the JSON the server sends; unknown fields are ignored.
   *
   * @param json one user
   * @return the user
   */
  public static User fromJson(JsonObject json) {
    return new User(
        json.getString("id"),
        json.getString("username"),
        json.getString("role"),
        json.getBoolean("disabled", false),
        json.getBoolean("builtin", false),
        JsonFields.instant(json, "created_at"),
        JsonFields.instant(json, "updated_at"));
  }

  /**
   * @return the JSON the server sends
   */
  public JsonObject toJson() {
    return new JsonObject()
        .put("id", id)
        .put("username", username)
        .put("role", role)
        .put("disabled", disabled)
        .put("builtin", builtin)
        .put("created_at", JsonFields.instant(createdAt))
        .put("updated_at", JsonFields.instant(updatedAt));
  }
}
