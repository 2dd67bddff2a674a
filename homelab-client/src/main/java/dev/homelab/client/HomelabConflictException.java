package dev.homelab.client;

/** HTTP 409: the request conflicts with the resource's current state. */
public class HomelabConflictException extends HomelabHttpException {

  /**
   * @param errorCode the server's {@code error_code}, or {@code null}
   * @param detail the server's {@code detail}, or {@code null}
   * @param requestId the request id, or {@code null}
   * @param body the raw response body
   * @param cause the original exception when this is a copy, else {@code null}
   */
  public HomelabConflictException(
      String errorCode, String detail, String requestId, String body, Throwable cause) {
    super(409, errorCode, detail, requestId, body, cause);
  }

  @Override
  public HomelabConflictException copyAsCause() {
    return new HomelabConflictException(errorCode(), detail(), requestId(), body(), this);
  }
}
