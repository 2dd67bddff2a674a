package dev.homelab.client.frigate;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import io.vertx.core.streams.WriteStream;

/**
 * A camera picture on its way from the server, not yet read: pipe {@link #body()} where it goes
 * (with {@link #pipeTo}), or read it with a handler and resume it. Until then it holds a
 * connection.
 *
 * @param contentType its media type, {@code image/jpeg}
 * @param contentLength its length in bytes, or -1 when the server streams it without one
 * @param body the bytes, paused
 */
public record FrigateSnapshot(String contentType, long contentLength, ReadStream<Buffer> body) {

  /**
   * Pipes the bytes into a stream with back-pressure, and ends it.
   *
   * @param destination where the bytes go
   * @return when all were written
   */
  public Future<Void> pipeTo(WriteStream<Buffer> destination) {
    return body.pipeTo(destination);
  }
}
