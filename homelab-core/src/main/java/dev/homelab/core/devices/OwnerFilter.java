package dev.homelab.core.devices;

import java.util.Objects;

/**
 * Whose devices an operation may see: one owner's, or everybody's (administrators).
 *
 * @param ownerId the owner, or {@code null} for every owner
 */
public record OwnerFilter(String ownerId) {

  private static final OwnerFilter ANY = new OwnerFilter(null);

  /**
   * @param ownerId a user id
   * @return a filter that sees only that user's devices
   */
  public static OwnerFilter only(String ownerId) {
    return new OwnerFilter(Objects.requireNonNull(ownerId, "ownerId"));
  }

  /**
   * @return a filter that sees every device
   */
  public static OwnerFilter any() {
    return ANY;
  }

  /**
   * @return whether this filter sees every device
   */
  public boolean isAny() {
    return ownerId == null;
  }
}
