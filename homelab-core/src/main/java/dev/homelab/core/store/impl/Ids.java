package dev.homelab.core.store.impl;

import java.security.SecureRandom;
import java.util.UUID;

/** Identifiers for new rows. */
public final class Ids {

  private static final SecureRandom RANDOM = new SecureRandom();

  private Ids() {}

  /**
   * A version 7 UUID (RFC 9562): 48 bits of Unix milliseconds then 74 random bits, so ids sort by
   * creation time and pagination by id is pagination by age.
   *
   * @return a new id, in the canonical lower-case form
   */
  public static String timeOrderedUuid() {
    long millis = System.currentTimeMillis();
    long random = RANDOM.nextLong();
    long high = (millis << 16) | 0x7000L | (RANDOM.nextInt() & 0x0FFFL);
    long low = (random & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
    return new UUID(high, low).toString();
  }
}
