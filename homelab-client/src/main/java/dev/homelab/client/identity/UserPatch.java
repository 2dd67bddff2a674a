package dev.homelab.client.identity;

import dev.homelab.client.internal.JsonFields;
import io.vertx.core.json.JsonObject;

/**
 * The changes {@code PATCH /api/users/{id}} makes: only the fields that are set (not {@code null})
 * are sent, the others stay as they are. Start from {@link #empty()} and add changes with the
 * {@code with...} methods, each of which returns a new patch. {@link #toString()} never shows the
 * password.
 *
 * @param role the new role ({@code admin}, {@code user} or {@code viewer}), or {@code null} to keep
 *     it
 * @param password the new password (10 to 256 characters), or {@code null} to keep it
 * @param disabled {@code true} to disable the user, {@code false} to enable them, or {@code null}
 *     to keep it
 */
public record UserPatch(String role, String password, Boolean disabled) {

  private static final UserPatch EMPTY = new UserPatch(null, null, null);

  /**
   * @return a patch that changes nothing
   */
  public static UserPatch empty() {
    return EMPTY;
  }

  /**
   * @param role the new role
   * @return a copy of this patch that also changes the role
   */
  public UserPatch withRole(String role) {
    return new UserPatch(role, password, disabled);
  }

  /**
   * @param password the new password
   * @return a copy of this patch that also changes the password
   */
  public UserPatch withPassword(String password) {
    return new UserPatch(role, password, disabled);
  }

  /**
   * @param disabled {@code true} to disable the user, {@code false} to enable them
   * @return a copy of this patch that also changes whether the user is disabled
   */
  public UserPatch withDisabled(boolean disabled) {
    return new UserPatch(role, password, disabled);
  }

  /**
   * @return {@code true} if the patch changes nothing
   */
  public boolean isEmpty() {
    return role == null && password == null && disabled == null;
  }

  /**
   * @return the request body: only the fields that are set
   */
  public JsonObject toJson() {
    JsonObject json = new JsonObject();
    JsonFields.putIfSet(json, "role", role);
    JsonFields.putIfSet(json, "password", password);
    JsonFields.putIfSet(json, "disabled", disabled);
    return json;
  }

  /**
   * @return the patch with a set password masked as {@code ***}
   */
  @Override
  public String toString() {
    return "UserPatch[role="
        + role
        + ", password="
        + (password == null ? null : "***")
        + ", disabled="
        + disabled
        + "]";
  }
}
