package dev.homelab.core.events;

import java.util.Objects;
import java.util.Set;

/**
 * Who may see an {@link Event}: everyone, the owner of a resource, or the holders of a role.
 *
 * <p>Holders of the {@value #ADMIN_ROLE} role see every event.
 *
 * @param scope which rule applies
 * @param subject the owner's user id for {@link Scope#OWNER}, the role for {@link Scope#ROLE},
 *     empty for {@link Scope#EVERYONE}
 */
public record Visibility(Scope scope, String subject) {

  /** The role that sees every event. */
  public static final String ADMIN_ROLE = "admin";

  private static final Visibility EVERYONE = new Visibility(Scope.EVERYONE, "");

  /** The rules an event's visibility can follow. */
  public enum Scope {
    /** Every authenticated user. */
    EVERYONE,
    /** Only the owner of the resource the event is about. */
    OWNER,
    /** Only the holders of a role. */
    ROLE
  }

  /**
   * Checks the components.
   *
   * @throws IllegalArgumentException if an owner or role visibility has no subject
   */
  public Visibility {
    Objects.requireNonNull(scope, "scope");
    Objects.requireNonNull(subject, "subject");
    if (scope != Scope.EVERYONE && subject.isBlank()) {
      throw new IllegalArgumentException(scope + " visibility needs a subject");
    }
  }

  /**
   * @return a visibility for every authenticated user
   */
  public static Visibility everyone() {
    return EVERYONE;
  }

  /**
   * @param userId the owner's id
   * @return a visibility for the owner only (and admins)
   */
  public static Visibility owner(String userId) {
    return new Visibility(Scope.OWNER, userId);
  }

  /**
   * @param role the role, for example {@code "admin"}
   * @return a visibility for the holders of that role only (and admins)
   */
  public static Visibility role(String role) {
    return new Visibility(Scope.ROLE, role);
  }

  /**
   * Decides whether a user may see an event with this visibility.
   *
   * @param userId the user's id
   * @param roles the user's roles
   * @return {@code true} if the user may see it
   */
  public boolean visibleTo(String userId, Set<String> roles) {
    if (roles.contains(ADMIN_ROLE)) {
      return true;
    }
    return switch (scope) {
      case EVERYONE -> true;
      case OWNER -> subject.equals(userId);
      case ROLE -> roles.contains(subject);
    };
  }
}
