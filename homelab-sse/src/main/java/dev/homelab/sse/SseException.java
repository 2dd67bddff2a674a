package dev.homelab.sse;

import io.vertx.core.VertxException;

/** An event stream the {@link SseReader} refuses to read further, such as a record too large. */
public final class SseException extends VertxException {

  private static final long serialVersionUID = 1L;

  /**
   * @param message what is wrong with the stream
   */
  public SseException(String message) {
    super(message, true);
  }
}
