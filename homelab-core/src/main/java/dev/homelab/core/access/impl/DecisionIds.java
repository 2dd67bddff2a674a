package dev.homelab.core.access.impl;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Version 7 UUIDs for decisions that increase strictly within this JVM, so that the access log's
 * newest-first order (by id) is the order of the decisions, also within one millisecond.
 *
 * <p>The 12 bits after the version hold a counter (RFC 9562, section 6.2, method 1): a decision in
 * the same millisecond as the previous one takes the next value, and a burst of more than 4096 in
 * one millisecond borrows from the next. The other 62 bits are random, from a thread-local
 * generator: ids need uniqueness and order, not unpredictability.
 */
final class DecisionIds {

  /** The last issued timestamp and counter, as {@code millis << 12 | counter}. */
  private static final AtomicLong LAST = new AtomicLong();

  private DecisionIds() {}

  static UUID next(long epochMillis) {
    long wanted = epochMillis << 12;
    long issued = LAST.accumulateAndGet(wanted, (last, next) -> Math.max(last + 1, next));
    long high = ((issued >>> 12) << 16) | 0x7000L | (issued & 0x0FFFL);
    long low = (ThreadLocalRandom.current().nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
    return new UUID(high, low);
  }
}
