package dev.homelab.client;

/**
 * HTTP 422: a field of the request breaks a rule and nothing changed. {@link #field()} names it as
 * the API spells it: a body field ({@code name}), a path inside one ({@code metadata.room}, {@code
 * schedule.windows[0].days}), or a path or query parameter.
 */
public class HomelabValidationException extends HomelabHttpException {

  private final String field;

  /**
   * @param errorCode the server's {@code error_code}, or {@code null}
   * @param detail the server's {@code detail}, or {@code null}
   * @param requestId the request id, or {@code null}
   * @param body the raw response body
   * @param field the offending field from the body, or {@code null} if the server named none
   * @param cause the original exception when this is a copy, else {@code null}
   */
  public HomelabValidationException(
      String errorCode,
      String detail,
      String requestId,
      String body,
      String field,
      Throwable cause) {
    super(422, errorCode, detail, requestId, body, cause);
    this.field = field;
  }

  /**
   * @return the offending field, for example {@code metadata.room}, or {@code null} if the server
   *     named none
   */
  public String field() {
    return field;
  }

  @Override
  public HomelabValidationException copyAsCause() {
    return new HomelabValidationException(errorCode(), detail(), requestId(), body(), field, this);
  }
}
