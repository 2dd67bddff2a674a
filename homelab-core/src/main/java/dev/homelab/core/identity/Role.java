package dev.homelab.core.identity;

import dev.homelab.core.ValidationException;
import java.util.Locale;

/** What a user may do, from least to most. */
public enum Role {
  /** Reads their own objects; writes nothing. */
  VIEWER,
  /** Reads and changes their own objects. */
  USER,
  /** Everything, on every user's objects. */
  ADMIN;

  /**
   * @return the wire name: {@code viewer}, {@code user} or {@code admin}
   */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * @param other another role
   * @return whether this role may do everything {@code other} may
   */
  public boolean atLeast(Role other) {
    return compareTo(other) >= 0;
  }

  /**
   * @param other another role
   * @return the less powerful of the two
   */
  public Role narrowest(Role other) {
    return compareTo(other) <= 0 ? this : other;
  }

  /**
   * Parses a wire name.
   *
   * @param field the field the value came from, for the error
   * @param value the value
   * @return the role
   * @throws ValidationException naming the field if the value is not a role
   */
  public static Role parse(String field, Object value) {
    if (value instanceof String text) {
      for (Role role : values()) {
        if (role.label().equals(text)) {
          return role;
        }
      }
    }
    throw new ValidationException(field, field + " must be one of viewer, user, admin");
  }
}
