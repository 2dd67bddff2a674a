package dev.homelab.core;

import java.util.List;
import java.util.Objects;

/**
 * One page of a listing read with cursor pagination.
 *
 * @param items the items of this page, in the listing's order
 * @param nextCursor the opaque cursor that reads the next page, or {@code null} on the last page
 * @param <T> the item type
 */
public record Page<T>(List<T> items, String nextCursor) {

  /** Copies the items. */
  public Page {
    items = List.copyOf(Objects.requireNonNull(items, "items"));
  }

  /**
   * @return whether another page follows
   */
  public boolean hasNext() {
    return nextCursor != null;
  }
}
