package dev.homelab.client;

/** HTTP 404: the resource does not exist, or is not visible to the caller. */
public class HomelabNotFoundException extends HomelabHttpException {

  /**
   * @param errorCode the server's {@code error_code}, or {@code null}
   * @param detail the server's {@code detail}, or {@code null}
   * @param requestId the request id, or {@code null}
   * @param body the raw response body
   * @param cause the original exception when this is a copy, else {@code null}
   */
  public HomelabNotFoundException(
      String errorCode, String detail, String requestId, String body, Throwable cause) {
    super(404, errorCode, detail, requestId, body, cause);
  }

  @Override
  public HomelabNotFoundException copyAsCause() {
    return new HomelabNotFoundException(errorCode(), detail(), requestId(), body(), this);
  }
}
