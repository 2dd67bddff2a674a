package dev.homelab.core.identity;

import dev.homelab.core.ValidationException;
import dev.homelab.core.internal.JsonInput;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Changes to a user account; a {@code null} component is left as it is.
 *
 * @param role the new role, or {@code null}
 * @param password the new password in clear, or {@code null}; only its hash is stored
 * @param disabled whether the account is disabled, or {@code null}
 */
public record UserPatch(Role role, String password, Boolean disabled) {

  private static final Set<String> FIELDS = Set.of("role", "password", "disabled");

  /** Checks the password and that something changes. */
  public UserPatch {
    if (role == null && password == null && disabled == null) {
      throw new ValidationException("role", "give at least one of role, password, disabled");
    }
    password = password == null ? null : User.validatePassword(password);
  }

  /**
   * @param body any of {@code role}, {@code password}, {@code disabled}; other fields are refused
   * @return the changes
   */
  public static UserPatch fromJson(JsonObject body) {
    JsonInput.onlyFields(body, FIELDS);
    if (body.isEmpty()) {
      throw new ValidationException("role", "give at least one of role, password, disabled");
    }
    return new UserPatch(
        body.containsKey("role") ? Role.parse("role", body.getValue("role")) : null,
        body.containsKey("password") ? User.validatePassword(body.getValue("password")) : null,
        JsonInput.flag(body, "disabled"));
  }

  /**
   * @return the names of the fields this patch sets, sorted, for the audit entry
   */
  public List<String> fields() {
    List<String> fields = new ArrayList<>();
    if (disabled != null) {
      fields.add("disabled");
    }
    if (password != null) {
      fields.add("password");
    }
    if (role != null) {
      fields.add("role");
    }
    return fields;
  }

  /** Keeps the password out of logs that print the record. */
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
