package dev.homelab.core.identity;

import dev.homelab.core.ValidationException;

/**
 * The most an API key may do: act with a {@link Role} (narrowed further by its owner's current
 * role), or only ask the access engine for decisions ({@link #ACCESS}), the credential to give a
 * door controller or a bridge script.
 */
public enum KeyScope {
  /** Read as a viewer. */
  VIEWER(Role.VIEWER),
  /** Read and write as a user. */
  USER(Role.USER),
  /** Everything an administrator may do. */
  ADMIN(Role.ADMIN),
  /** Only {@code POST /api/access/check}; needs an administrator to create and to own it. */
  ACCESS(null);

  private final Role role;

  KeyScope(Role role) {
    this.role = role;
  }

  /**
   * @param role a role
   * @return the scope that acts with that role
   */
  public static KeyScope of(Role role) {
    return switch (role) {
      case VIEWER -> VIEWER;
      case USER -> USER;
      case ADMIN -> ADMIN;
    };
  }

  /**
   * @return the role the key acts with, or {@code null} for {@link #ACCESS}, which acts with none
   */
  public Role role() {
    return role;
  }

  /**
   * @return the role a creator needs to create such a key
   */
  public Role requiredToCreate() {
    return role == null ? Role.ADMIN : role;
  }

  /**
   * @return the wire name: {@code viewer}, {@code user}, {@code admin} or {@code access}
   */
  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  /**
   * @param field the field the value came from, for the error
   * @param value the value
   * @return the scope
   * @throws ValidationException naming the field if the value is not a scope
   */
  public static KeyScope parse(String field, Object value) {
    if (value instanceof String text) {
      for (KeyScope scope : values()) {
        if (scope.label().equals(text)) {
          return scope;
        }
      }
    }
    throw new ValidationException(field, field + " must be one of viewer, user, admin, access");
  }
}
