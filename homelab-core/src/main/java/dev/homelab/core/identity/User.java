package dev.homelab.core.identity;

import dev.homelab.core.ValidationException;
import dev.homelab.core.internal.Texts;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A user account.
 *
 * @param id the user's id, set by the store
 * @param username the unique, lower-case login name
 * @param role what the user may do
 * @param passwordHash the encoded password hash, or {@code null} for an account that cannot log in
 *     with a password (the built-in administrator)
 * @param disabled whether the account is refused at login and on every request
 * @param builtin whether this is the built-in administrator, which cannot be changed or removed
 * @param createdAt when the account was created
 * @param updatedAt when the account was last changed
 */
public record User(
    String id,
    String username,
    Role role,
    String passwordHash,
    boolean disabled,
    boolean builtin,
    Instant createdAt,
    Instant updatedAt) {

  /** The login name of the built-in administrator. */
  public static final String BUILTIN_ADMIN = "admin";

  /** The shortest accepted password. */
  public static final int MIN_PASSWORD_LENGTH = 10;

  /** The longest accepted password. */
  public static final int MAX_PASSWORD_LENGTH = 256;

  private static final Pattern USERNAME = Pattern.compile("[a-z0-9._-]{3,32}");

  /** Checks the components that are never optional. */
  public User {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(username, "username");
    Objects.requireNonNull(role, "role");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(updatedAt, "updatedAt");
  }

  /**
   * Checks and normalises a login name.
   *
   * @param value the name as given
   * @return the name in lower case
   * @throws ValidationException naming {@code username} if it is not 3-32 of {@code a-z 0-9 . _ -}
   */
  public static String validateUsername(Object value) {
    String name = value instanceof String text ? text.toLowerCase(Locale.ROOT) : null;
    if (name == null || !USERNAME.matcher(name).matches()) {
      throw new ValidationException(
          "username", "username must be 3 to 32 characters of a-z, 0-9, '.', '_' or '-'");
    }
    return name;
  }

  /**
   * Checks a new password against the length rules; its value is never part of the message.
   *
   * @param value the password as given
   * @return the password
   * @throws ValidationException naming {@code password} if it is not a string of 10-256 characters
   */
  public static String validatePassword(Object value) {
    if (!(value instanceof String password)
        || !Texts.lengthBetween(password, MIN_PASSWORD_LENGTH, MAX_PASSWORD_LENGTH)) {
      throw new ValidationException(
          "password",
          "password must be a string of "
              + MIN_PASSWORD_LENGTH
              + " to "
              + MAX_PASSWORD_LENGTH
              + " characters");
    }
    return password;
  }

  /**
   * @return the public form: every component but the password hash
   */
  public JsonObject toJson() {
    return new JsonObject()
        .put("id", id)
        .put("username", username)
        .put("role", role.label())
        .put("disabled", disabled)
        .put("builtin", builtin)
        .put("created_at", createdAt.toString())
        .put("updated_at", updatedAt.toString());
  }

  @Override
  public String toString() {
    return "User{id=" + id + ", username=" + username + ", role=" + role.label() + "}";
  }
}
