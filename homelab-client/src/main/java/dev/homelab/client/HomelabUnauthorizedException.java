package dev.homelab.client;

/** HTTP 401: the request had no valid credentials. */
public class HomelabUnauthorizedException extends HomelabHttpException {

  /**
   * @param errorCode the server's {@code error_code}, or {@code null}
   * @param detail the server's {@code detail}, or {@code null}
   * @param requestId the request id, or {@code null}
   * @param body the raw response body
   * @param cause the original exception when this is a copy, else {@code null}
   */
  public HomelabUnauthorizedException(
      String errorCode, String detail, String requestId, String body, Throwable cause) {
    super(401, errorCode, detail, requestId, body, cause);
  }

  @Override
  public HomelabUnauthorizedException copyAsCause() {
    return new HomelabUnauthorizedException(errorCode(), detail(), requestId(), body(), this);
  }
}
