package dev.homelab.core.internal;

import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Version 7 UUIDs (RFC 9562) that increase strictly within this JVM, so that ordering rows by id
 * orders them by creation, also within one millisecond. Unsupported outside homelab.
 *
 * <p>The 12 bits after the version hold a counter (RFC 9562, section 6.2, method 1): an id in the
 * same millisecond as the previous one takes the next value, and a burst of more than 4096 in one
 * millisecond borrows from the next. The caller supplies the 62 random bits, from a generator that
 * suits its ids.
 */
public final class TimeOrderedIds {

  /** The last issued timestamp and counter, as {@code millis << 12 | counter}. */
  private static final AtomicLong LAST = new AtomicLong();

  private TimeOrderedIds() {}

  /**
   * @param epochMillis the creation time
   * @param random random bits; the low 62 are used
   * @return a new id, greater than every id this JVM issued before
   */
  public static UUID next(long epochMillis, long random) {
    long issued =
        LAST.accumulateAndGet(epochMillis << 12, (last, wanted) -> Math.max(last + 1, wanted));
    long high = ((issued >>> 12) << 16) | 0x7000L | (issued & 0x0FFFL);
    long low = (random & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
    return new UUID(high, low);
  }
}
