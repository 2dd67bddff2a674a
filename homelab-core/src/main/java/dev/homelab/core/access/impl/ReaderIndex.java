package dev.homelab.core.access.impl;

import java.util.HashMap;
import java.util.Map;

/**
 * Small numbers for the reader ids that policies and groups name, so that a card's readers are a
 * bit set and "may this card use this reader" is one bit test. Immutable; {@link #with} makes a
 * larger copy and keeps every existing number, so cards compiled against an older index stay right.
 */
final class ReaderIndex {

  static final ReaderIndex EMPTY = new ReaderIndex(new HashMap<>());

  private final Map<String, Integer> numbers;

  private ReaderIndex(Map<String, Integer> numbers) {
    this.numbers = numbers;
  }

  /**
   * @return the reader's number, or -1 if no policy or group names it
   */
  int of(String reader) {
    Integer number = numbers.get(reader);
    return number == null ? -1 : number;
  }

  /**
   * @return this index if it numbers every reader given, else a copy that also numbers them
   */
  ReaderIndex with(Iterable<String> readers) {
    Map<String, Integer> copy = null;
    for (String reader : readers) {
      if (!numbers.containsKey(reader) && (copy == null || !copy.containsKey(reader))) {
        if (copy == null) {
          copy = new HashMap<>(numbers);
        }
        copy.put(reader, copy.size());
      }
    }
    return copy == null ? this : new ReaderIndex(copy);
  }

  /**
   * @return a bit set with the numbers of the readers given, which this index must number
   */
  long[] bits(Iterable<String> readers) {
    long[] bits = new long[(numbers.size() + 63) >>> 6];
    for (String reader : readers) {
      int number = numbers.get(reader);
      bits[number >>> 6] |= 1L << number;
    }
    return bits;
  }

  static boolean contains(long[] bits, int number) {
    int word = number >>> 6;
    return word < bits.length && (bits[word] & (1L << number)) != 0;
  }
}
