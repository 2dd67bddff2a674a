package dev.homelab.client.impl;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.streams.ReadStream;

/**
 * An answer whose body is streamed: its status and headers, and its body still to be read.
 *
 * @param status the status, one the caller accepted (200, or 206 for a range)
 * @param headers the headers
 * @param body the body, paused: pipe it or set a handler and resume it, else the connection stays
 *     taken; {@code null} once the transport has written it elsewhere
 */
record Download(int status, MultiMap headers, ReadStream<Buffer> body) {

  /**
   * @return the {@code Content-Length}, or -1 if absent or not a number
   */
  long contentLength() {
    try {
      String value = headers.get("Content-Length");
      return value == null ? -1 : Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /**
   * Gives up the body unread: the request is reset, which closes its connection rather than reading
   * what remains of a body that may be large.
   */
  void discard() {
    if (body instanceof HttpClientResponse response) {
      response.request().reset();
    }
  }

  /**
   * @return the {@code Content-Range} of a 206, or {@code null} if there is none or it is not
   *     {@code bytes first-last/length} (the length may be {@code *}, read as -1)
   */
  ContentRange contentRange() {
    return ContentRange.parse(headers.get("Content-Range"));
  }

  /**
   * The bytes a partial answer holds.
   *
   * @param first the offset of its first byte
   * @param last the offset of its last byte, inclusive
   * @param length the length of the whole body, or -1 if the server does not say
   */
  record ContentRange(long first, long last, long length) {

    static ContentRange parse(String header) {
      if (header == null || !header.startsWith("bytes ")) {
        return null;
      }
      String spec = header.substring("bytes ".length()).trim();
      int dash = spec.indexOf('-');
      int slash = spec.indexOf('/');
      if (dash < 1 || slash < dash) {
        return null;
      }
      try {
        long first = Long.parseLong(spec.substring(0, dash));
        long last = Long.parseLong(spec.substring(dash + 1, slash));
        String total = spec.substring(slash + 1);
        long length = "*".equals(total) ? -1 : Long.parseLong(total);
        return last < first ? null : new ContentRange(first, last, length);
      } catch (NumberFormatException e) {
        return null;
      }
    }
  }
}
