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

  private final ErrorKind kind;
  private final String errorCode;

  /**
   * Creates an internal failure ({@link ErrorKind#INTERNAL}, {@code INTERNAL_ERROR}).
   *
   * @param message what went wrong, safe to show to a user
   */
  public HomelabException(String message) {
    this(ErrorKind.INTERNAL, "INTERNAL_ERROR", message, null, false);
  }

  /**
   * Creates an internal failure with a cause.
   *
   * @param message what went wrong, safe to show to a user
   * @param cause the underlying failure
   */
  public HomelabException(String message, Throwable cause) {
    this(ErrorKind.INTERNAL, "INTERNAL_ERROR", message, cause, false);
  }

  /**
   * Creates an internal failure that may skip stack capture.
   *
   * @param message what went wrong, safe to show to a user
   * @param noStackTrace {@code true} for expected refusals, which need no stack
   */
  public HomelabException(String message, boolean noStackTrace) {
    this(ErrorKind.INTERNAL, "INTERNAL_ERROR", message, null, noStackTrace);
  }

  /**
   * Creates a failure of a kind, with its stable code. Every kind but {@link ErrorKind#INTERNAL}
   * and {@link ErrorKind#UNAVAILABLE} is an expected refusal and skips stack capture.
   *
   * @param kind what kind of failure it is
   * @param errorCode an upper snake case code, stable across versions, for example {@code
   *     USERNAME_TAKEN}
   * @param message a sentence for people, without internals
   */
  public HomelabException(ErrorKind kind, String errorCode, String message) {
    this(kind, errorCode, message, null, expected(kind));
  }

  /**
   * Creates a failure of a kind with a cause.
   *
   * @param kind what kind of failure it is
   * @param errorCode an upper snake case code
   * @param message a sentence for people, without internals
   * @param cause the underlying failure, or {@code null}
   * @param noStackTrace {@code true} for expected refusals, which need no stack
   */
  protected HomelabException(
      ErrorKind kind, String errorCode, String message, Throwable cause, boolean noStackTrace) {
    super(message, cause, noStackTrace);
    this.kind = java.util.Objects.requireNonNull(kind, "kind");
    this.errorCode = java.util.Objects.requireNonNull(errorCode, "errorCode");
  }

  private static boolean expected(ErrorKind kind) {
    return kind != ErrorKind.INTERNAL && kind != ErrorKind.UNAVAILABLE;
  }

  /**
   * @return what kind of failure this is
   */
  public ErrorKind kind() {
    return kind;
  }

  /**
   * @return the stable upper snake case code, for example {@code VALIDATION_FAILED}
   */
  public String errorCode() {
    return errorCode;
  }
}
