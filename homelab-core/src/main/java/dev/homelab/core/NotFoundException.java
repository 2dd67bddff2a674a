package dev.homelab.core;

/**
 * No such thing, or one the caller may not see: the two answer alike, so that a caller cannot probe
 * for other users' objects. Its kind is {@link ErrorKind#NOT_FOUND}.
 */
public final class NotFoundException extends HomelabException {

  /**
   * @param errorCode an upper snake case code, for example {@code DEVICE_NOT_FOUND}
   * @param message a sentence for people
   */
  public NotFoundException(String errorCode, String message) {
    super(ErrorKind.NOT_FOUND, errorCode, message);
  }
}
