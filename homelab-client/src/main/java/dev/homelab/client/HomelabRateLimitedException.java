package dev.homelab.client;

/** HTTP 429: too many requests; {@link #retryAfterSeconds()} says when to try again. */
public class HomelabRateLimitedException extends HomelabHttpException {

  private final long retryAfterSeconds;

  /**
   * @param errorCode the server's {@code error_code}, or {@code null}
   * @param detail the server's {@code detail}, or {@code null}
   * @param requestId the request id, or {@code null}
   * @param body the raw response body
   * @param retryAfterSeconds the {@code Retry-After} header, or -1 if absent
   * @param cause the original exception when this is a copy, else {@code null}
   */
  public HomelabRateLimitedException(
      String errorCode,
      String detail,
      String requestId,
      String body,
      long retryAfterSeconds,
      Throwable cause) {
    super(429, errorCode, detail, requestId, body, cause);
    this.retryAfterSeconds = retryAfterSeconds;
  }

  /**
   * @return seconds to wait before retrying, or -1 if the server did not say
   */
  public long retryAfterSeconds() {
    return retryAfterSeconds;
  }

  @Override
  public HomelabRateLimitedException copyAsCause() {
    return new HomelabRateLimitedException(
        errorCode(), detail(), requestId(), body(), retryAfterSeconds, this);
  }
}
