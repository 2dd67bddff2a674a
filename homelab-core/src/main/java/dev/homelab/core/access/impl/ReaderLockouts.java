package dev.homelab.core.access.impl;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Counts denied scans per reader and locks a reader out when {@code threshold} of them fall within
 * {@code window}. A lockout lasts {@code duration} and then counting starts afresh; scans denied
 * because of the lockout do not count, so a lockout never extends itself.
 *
 * <p>Thread-safe. Memory is bounded: past {@value #MAX_READERS} readers, readers with nothing
 * recent are forgotten.
 */
final class ReaderLockouts {

  static final int MAX_READERS = 10_000;

  private final int threshold;
  private final long windowMillis;
  private final long durationMillis;
  private final Map<String, State> readers = new ConcurrentHashMap<>();

  private static final class State {
    final long[] denials; // a ring of the last `threshold` denial times
    int count;
    int next;
    volatile long lockedUntil = Long.MIN_VALUE; // read without the lock on every decision
    long lastActivity;

    State(int threshold) {
      this.denials = new long[threshold];
    }
  }

  ReaderLockouts(int threshold, long windowMillis, long durationMillis) {
    this.threshold = threshold;
    this.windowMillis = windowMillis;
    this.durationMillis = durationMillis;
  }

  /**
   * @return the end of the reader's lockout if it is locked out at {@code now}, else 0
   */
  long lockedUntil(String reader, long now) {
    if (threshold == 0) {
      return 0;
    }
    State state = readers.get(reader);
    if (state == null) {
      return 0;
    }
    long until = state.lockedUntil;
    return until > now ? until : 0;
  }

  /**
   * Records a denied scan.
   *
   * @return the end of the lockout this denial started, or 0 if it started none
   */
  long denied(String reader, long now) {
    if (threshold == 0) {
      return 0;
    }
    State state = readers.get(reader);
    if (state == null) {
      if (readers.size() >= MAX_READERS) {
        forgetIdle(now);
      }
      state = readers.computeIfAbsent(reader, r -> new State(threshold));
    }
    synchronized (state) {
      state.lastActivity = now;
      state.denials[state.next] = now;
      state.next = (state.next + 1) % threshold;
      state.count = Math.min(state.count + 1, threshold);
      // When the ring is full, the slot to be overwritten next holds the oldest of the last N.
      if (state.count == threshold && now - state.denials[state.next] < windowMillis) {
        state.lockedUntil = now + durationMillis;
        state.count = 0;
        return state.lockedUntil;
      }
      return 0;
    }
  }

  private void forgetIdle(long now) {
    readers
        .entrySet()
        .removeIf(
            e -> {
              synchronized (e.getValue()) {
                return e.getValue().lockedUntil <= now
                    && now - e.getValue().lastActivity > windowMillis;
              }
            });
  }
}
