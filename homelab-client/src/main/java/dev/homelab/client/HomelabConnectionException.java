package dev.homelab.client;

/** The server could not be reached, or it did not answer in time. No answer was received. */
public class HomelabConnectionException extends HomelabClientException {

  /**
   * @param message what failed
   * @param cause the transport failure
   */
  public HomelabConnectionException(String message, Throwable cause) {
    super(message, cause);
  }

  @Override
  public HomelabConnectionException copyAsCause() {
    return new HomelabConnectionException(getMessage(), this);
  }
}
