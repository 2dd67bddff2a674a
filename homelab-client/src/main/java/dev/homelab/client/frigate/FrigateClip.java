package dev.homelab.client.frigate;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import io.vertx.core.streams.WriteStream;

/**
 * An event's clip, or a byte range of it, on its way from the server, not yet read: pipe {@link
 * #body()} where it goes ({@link #pipeTo}), or read it with a handler and resume it. Until then it
 * holds a connection.
 *
 * @param status 200 for the whole clip, 206 for a range
 * @param contentType its media type, {@code video/mp4}
 * @param contentLength the length of this body in bytes, or -1 when the server streams it without
 *     one
 * @param contentRange the {@code Content-Range} of a 206 ({@code bytes first-last/length}), else
 *     {@code null}
 * @param body the bytes, paused
 */
public record FrigateClip(
    int status,
    String contentType,
    long contentLength,
    String contentRange,
    ReadStream<Buffer> body) {

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
