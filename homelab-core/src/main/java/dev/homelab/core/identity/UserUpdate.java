package dev.homelab.core.identity;

/**
 * A change to a user; {@code null} components stay as they are.
 *
 * @param role the new role, or {@code null}
 * @param passwordHash the new encoded password hash, or {@code null}
 * @param disabled whether the account is disabled, or {@code null}
 */
public record UserUpdate(Role role, String passwordHash, Boolean disabled) {

  /**
   * @return whether nothing would change
   */
  public boolean isEmpty() {
    return role == null && passwordHash == null && disabled == null;
  }

  @Override
  public String toString() {
    return "UserUpdate{role="
        + role
        + ", password="
        + (passwordHash == null ? "unchanged" : "changed")
        + ", disabled="
        + disabled
        + "}";
  }
}
