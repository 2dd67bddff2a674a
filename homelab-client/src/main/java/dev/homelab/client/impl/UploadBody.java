package dev.homelab.client.impl;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import java.util.Objects;

/**
 * A request body that is streamed rather than held: its bytes are read from {@code stream} as the
 * connection takes them.
 *
 * @param stream the bytes; the transport pipes it, and it must not be read elsewhere
 * @param length how many bytes it holds, sent as {@code Content-Length}; -1 if unknown, in which
 *     case the body is sent chunked
 * @param contentType its media type, or {@code null} for none
 */
record UploadBody(ReadStream<Buffer> stream, long length, String contentType) {

  UploadBody {
    Objects.requireNonNull(stream, "stream");
    if (length < -1) {
      throw new IllegalArgumentException("length must be -1 (unknown) or at least 0");
    }
  }
}
