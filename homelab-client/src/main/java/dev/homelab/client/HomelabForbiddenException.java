package dev.homelab.client;

/** HTTP 403: the credentials do not allow this operation. */
public class HomelabForbiddenException extends HomelabHttpException {

  /**
   * @param errorCode the server's {@code error_code}, or {@code null}
   * @param detail the server's {@code detail}, or {@code null}
   * @param requestId the request id, or {@code null}
   * @param body the raw response body
   * @param cause the original exception when this is a copy, else {@code null}
   */
  public HomelabForbiddenException(
      String errorCode, String detail, String requestId, String body, Throwable cause) {
    super(403, errorCode, detail, requestId, body, cause);
  }

  @Override
  public HomelabForbiddenException copyAsCause() {
    return new HomelabForbiddenException(errorCode(), detail(), requestId(), body(), this);
  }
}
