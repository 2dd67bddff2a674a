package dev.homelab.core.store.impl;

import dev.homelab.core.internal.TimeOrderedIds;
import java.security.SecureRandom;

/** Identifiers for new rows. */
public final class Ids {

  private static final SecureRandom RANDOM = new SecureRandom();

  private Ids() {}

  /**
   * A version 7 UUID (RFC 9562) that sorts by creation time, also within one millisecond, so that
   * pagination by id is pagination by age.
   *
   * @return a new id, in the canonical lower-case form
   */
  public static String timeOrderedUuid() {
    return TimeOrderedIds.next(System.currentTimeMillis(), RANDOM.nextLong()).toString();
  }
}
