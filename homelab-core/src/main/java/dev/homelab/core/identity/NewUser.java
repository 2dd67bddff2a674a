package dev.homelab.core.identity;

import dev.homelab.core.internal.JsonInput;
import io.vertx.core.json.JsonObject;
import java.util.Set;

/**
 * A user account to create.
 *
 * @param username the name, checked by {@link User#validateUsername}
 * @param password the password in clear, checked by {@link User#validatePassword}; only its hash is
 *     stored
 * @param role what the user may do
 */
public record NewUser(String username, String password, Role role) {

  private static final Set<String> FIELDS = Set.of("username", "password", "role");

  /** Checks every field. */
  public NewUser {
    username = User.validateUsername(username);
    password = User.validatePassword(password);
    role = Role.parse("role", role == null ? null : role.label());
  }

  /**
   * @param body {@code {"username", "password", "role"}}; other fields are refused
   * @return the account to create
   */
  public static NewUser fromJson(JsonObject body) {
    JsonInput.onlyFields(body, FIELDS);
    return new NewUser(
        User.validateUsername(body.getValue("username")),
        User.validatePassword(body.getValue("password")),
        Role.parse("role", body.getValue("role")));
  }

  /** Keeps the password out of logs that print the record. */
  @Override
  public String toString() {
    return "NewUser[username=" + username + ", role=" + role + "]";
  }
}
