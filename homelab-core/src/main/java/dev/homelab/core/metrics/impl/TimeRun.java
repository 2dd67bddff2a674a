package dev.homelab.core.metrics.impl;

import java.util.Arrays;

/**
 * Values in time order in two parallel arrays, for one series of one tier in memory. Data comes
 * almost always in time order and leaves from the oldest end, so appending is a store, a range is
 * two binary searches, and dropping the oldest moves a start index: no boxed key, no tree node.
 *
 * @param <V> the values (points or buckets)
 */
final class TimeRun<V> {

  private static final int MIN_CAPACITY = 16;

  private long[] times = new long[MIN_CAPACITY];
  private Object[] values = new Object[MIN_CAPACITY];
  private int head; // the oldest live slot
  private int end; // one past the newest

  int size() {
    return end - head;
  }

  /**
   * @return the oldest time; only when not empty
   */
  long firstTime() {
    return times[head];
  }

  /**
   * Stores a value unless one is already at its time.
   *
   * @return whether it was stored
   */
  boolean putIfAbsent(long time, V value) {
    if (end == head || time > times[end - 1]) {
      append(time, value);
      return true;
    }
    int at = Arrays.binarySearch(times, head, end, time);
    if (at >= 0) {
      return false;
    }
    insert(-at - 1, time, value);
    return true;
  }

  /** Stores a value, replacing the one at its time. */
  void put(long time, V value) {
    if (end == head || time > times[end - 1]) {
      append(time, value);
      return;
    }
    int at = Arrays.binarySearch(times, head, end, time);
    if (at >= 0) {
      values[at] = value;
    } else {
      insert(-at - 1, time, value);
    }
  }

  /**
   * @return the index of the first value at or after {@code time}
   */
  int indexOf(long time) {
    int at = Arrays.binarySearch(times, head, end, time); // times are unique
    return at < 0 ? -at - 1 : at;
  }

  int end() {
    return end;
  }

  long timeAt(int index) {
    return times[index];
  }

  @SuppressWarnings("unchecked")
  V valueAt(int index) {
    return (V) values[index];
  }

  /**
   * Drops the oldest values before {@code before}, at most {@code limit}.
   *
   * @return how many were dropped
   */
  int removeBefore(long before, int limit) {
    int cut = (int) Math.min(indexOf(before), (long) head + limit);
    int removed = cut - head;
    Arrays.fill(values, head, cut, null);
    head = cut;
    if (head == end) {
      head = 0;
      end = 0;
    }
    if (times.length > MIN_CAPACITY && size() * 4 < times.length) {
      shrink(); // a series that slowed down or stopped gives its memory back
    }
    return removed;
  }

  private void shrink() {
    int live = size();
    int capacity = Math.max(MIN_CAPACITY, Integer.highestOneBit(Math.max(1, live)) * 2);
    times = Arrays.copyOfRange(times, head, head + capacity);
    values = Arrays.copyOfRange(values, head, head + capacity);
    head = 0;
    end = live;
  }

  private void append(long time, Object value) {
    if (end == times.length) {
      makeRoom();
    }
    times[end] = time;
    values[end] = value;
    end++;
  }

  private void insert(int at, long time, Object value) {
    if (end == times.length) {
      int shift = head;
      makeRoom();
      at -= shift - head;
    }
    System.arraycopy(times, at, times, at + 1, end - at);
    System.arraycopy(values, at, values, at + 1, end - at);
    times[at] = time;
    values[at] = value;
    end++;
  }

  /** Moves the live values to the front, and doubles the arrays if that frees too little. */
  private void makeRoom() {
    int live = end - head;
    if (live * 2 > times.length) {
      times = Arrays.copyOf(times, times.length * 2);
      values = Arrays.copyOf(values, values.length * 2);
    }
    if (head > 0) {
      System.arraycopy(times, head, times, 0, live);
      System.arraycopy(values, head, values, 0, live);
      Arrays.fill(values, live, end, null);
      head = 0;
      end = live;
    }
  }
}
