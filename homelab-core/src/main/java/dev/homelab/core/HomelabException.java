package dev.homelab.core;

import io.vertx.core.VertxException;

/**
 * Root of every exception Homelab raises. All Homelab exceptions are unchecked.
 *
 * <p>Expected refusals (bad input, a denied card, an exceeded quota) are created through the {@code
 * noStackTrace} constructor: they are part of normal operation and a captured stack would only cost
 * time.
 */
public class HomelabException extends VertxException {

  /**
   * Creates an exception with a message.
   *
   * @param message what went wrong, safe to show to a user
   */
  public HomelabException(String message) {
    super(message);
  }

  /**
   * Creates an exception with a message and a cause.
   *
   * @param message what went wrong, safe to show to a user
   * @param cause the underlying failure
   */
  public HomelabException(String message, Throwable cause) {
    super(message, cause);
  }

  /**
   * Creates an exception that may skip stack capture.
   *
   * @param message what went wrong, safe to show to a user
   * @param noStackTrace {@code true} for expected refusals, which need no stack
   */
  public HomelabException(String message, boolean noStackTrace) {
    super(message, noStackTrace);
  }
}
