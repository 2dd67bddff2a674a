package dev.homelab.client;

import io.vertx.core.VertxException;

/** Root of the client's exceptions. All are unchecked. */
public abstract class HomelabClientException extends VertxException {

  HomelabClientException(String message, Throwable cause) {
    super(message, cause);
  }

  /**
   * Copies this exception with this one as its cause, so that a blocking caller's stack trace shows
   * the caller's frame as well as the asynchronous one.
   *
   * @return a new exception of the same type and content
   */
  public abstract HomelabClientException copyAsCause();
}
