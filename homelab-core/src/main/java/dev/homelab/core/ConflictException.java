package dev.homelab.core;

/**
 * A change refused because it contradicts the current state: a name already taken, a built-in
 * object that cannot be changed. The server answers 409 with {@link #errorCode()}.
 */
public final class ConflictException extends HomelabException {

  /**
   * @param errorCode an upper snake case code, for example {@code USERNAME_TAKEN}
   * @param message a sentence for people
   */
  public ConflictException(String errorCode, String message) {
    super(ErrorKind.CONFLICT, errorCode, message);
  }
}
