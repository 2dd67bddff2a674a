package dev.homelab.client.impl;

/**
 * The part of a body to download, sent as {@code Range: bytes=first-last}. A server that honours it
 * answers 206 with {@code Content-Range}; one that does not answers the whole body with 200.
 *
 * @param first the offset of the first byte, at least 0
 * @param last the offset of the last byte, inclusive, or -1 for the end of the body
 */
record ByteRange(long first, long last) {

  ByteRange {
    if (first < 0 || (last != -1 && last < first)) {
      throw new IllegalArgumentException("not a byte range: " + first + "-" + last);
    }
  }

  /**
   * @param first the offset of the first byte
   * @return the range from there to the end of the body
   */
  static ByteRange from(long first) {
    return new ByteRange(first, -1);
  }

  /**
   * @return the value of the {@code Range} header
   */
  String header() {
    return "bytes=" + first + "-" + (last < 0 ? "" : Long.toString(last));
  }
}
