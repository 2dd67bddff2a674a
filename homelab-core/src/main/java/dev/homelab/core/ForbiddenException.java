package dev.homelab.core;

/** The actor may not do this, whatever the input: a rule of the service refuses it. */
public final class ForbiddenException extends HomelabException {

  /**
   * @param errorCode the stable error code, for example {@code FORBIDDEN}
   * @param message what is refused and why, safe to show to the caller
   */
  public ForbiddenException(String errorCode, String message) {
    super(ErrorKind.FORBIDDEN, errorCode, message);
  }
}
