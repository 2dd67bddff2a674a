package dev.homelab.core.upstream.frigate;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.streams.ReadStream;
import io.vertx.core.streams.WriteStream;

/**
 * A picture or clip on its way from Frigate, not yet read: the caller pipes {@link #body()} where
 * it goes (an HTTP response, a file) or {@link #cancel()}s it. It is never buffered whole.
 *
 * <p>The body is paused until it is piped or resumed; read it on the event loop it arrives on. A
 * body that stalls after the head fails with an {@code UPSTREAM_TIMEOUT} {@link
 * dev.homelab.core.upstream.UpstreamException} and its request is reset: the client's bound is less
 * than 1 KiB in its timeout ({@link FrigateOptions#getTimeout()}) while the body is read.
 */
public final class FrigateMedia {

  private final HttpClientResponse response;
  private final ReadStream<Buffer> body;

  /**
   * @param response the upstream response, for its status and headers
   * @param body its body, paused
   */
  public FrigateMedia(HttpClientResponse response, ReadStream<Buffer> body) {
    this.response = response;
    this.body = body;
  }

  /**
   * @return 200, or 206 for a byte range
   */
  public int status() {
    return response.statusCode();
  }

  /**
   * @return the content type, such as {@code image/jpeg} or {@code video/mp4}, or {@code null}
   */
  public String contentType() {
    return response.getHeader("Content-Type");
  }

  /**
   * @return the length in bytes, or -1 when unknown (chunked)
   */
  public long contentLength() {
    String length = response.getHeader("Content-Length");
    try {
      return length == null ? -1 : Long.parseLong(length.strip());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /**
   * @return the {@code Content-Range} of a 206, or {@code null}
   */
  public String contentRange() {
    return response.getHeader("Content-Range");
  }

  /**
   * @return whether Frigate marked a camera picture as the last frame of an offline camera ({@code
   *     X-Frigate-Offline})
   */
  public boolean offline() {
    return "true".equalsIgnoreCase(response.getHeader("X-Frigate-Offline"));
  }

  /**
   * @return the bytes, paused
   */
  public ReadStream<Buffer> body() {
    return body;
  }

  /**
   * Pipes the bytes into a stream, with back-pressure, and ends it.
   *
   * @param destination where the bytes go
   * @return when all were written; fails if either side failed
   */
  public Future<Void> pipeTo(WriteStream<Buffer> destination) {
    return body.pipeTo(destination);
  }

  /** Drops the bytes: the request to Frigate is reset, and nothing more is read. */
  public void cancel() {
    response.request().reset();
  }
}
