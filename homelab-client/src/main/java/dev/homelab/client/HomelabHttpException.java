package dev.homelab.client;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

/**
 * The server answered with an error status. It carries the server's standard error body: {@link
 * #errorCode()}, {@link #detail()} and {@link #requestId()} (quote it when reporting a problem).
 *
 * <p>Statuses with their own meaning have subclasses: {@link HomelabUnauthorizedException} (401),
 * {@link HomelabForbiddenException} (403), {@link HomelabNotFoundException} (404), {@link
 * HomelabConflictException} (409), {@link HomelabValidationException} (422, naming the field) and
 * {@link HomelabRateLimitedException} (429).
 */
public class HomelabHttpException extends HomelabClientException {

  private final int status;
  private final String errorCode;
  private final String detail;
  private final String requestId;
  private final String body;

  /**
   * @param status the HTTP status
   * @param errorCode the server's {@code error_code}, or {@code null} if the body had none
   * @param detail the server's {@code detail}, or {@code null}
   * @param requestId the request id from the body or the {@code X-Request-Id} header, or {@code
   *     null}
   * @param body the raw response body, possibly empty
   * @param cause the original exception when this is a copy, else {@code null}
   */
  public HomelabHttpException(
      int status, String errorCode, String detail, String requestId, String body, Throwable cause) {
    super(message(status, errorCode, detail, requestId), cause);
    this.status = status;
    this.errorCode = errorCode;
    this.detail = detail;
    this.requestId = requestId;
    this.body = body;
  }

  /**
   * Builds the exception that fits a status, reading the standard error body.
   *
   * @param status the HTTP status
   * @param body the raw response body
   * @param headerRequestId the {@code X-Request-Id} response header, or {@code null}
   * @param retryAfterSeconds the {@code Retry-After} header in seconds, or -1
   * @return the exception for that status
   */
  public static HomelabHttpException of(
      int status, String body, String headerRequestId, long retryAfterSeconds) {
    JsonObject json = parse(body);
    String errorCode = json == null ? null : json.getString("error_code");
    String detail = json == null ? null : json.getString("detail");
    String requestId =
        json != null && json.getString("request_id") != null
            ? json.getString("request_id")
            : headerRequestId;
    return switch (status) {
      case 401 -> new HomelabUnauthorizedException(errorCode, detail, requestId, body, null);
      case 403 -> new HomelabForbiddenException(errorCode, detail, requestId, body, null);
      case 404 -> new HomelabNotFoundException(errorCode, detail, requestId, body, null);
      case 409 -> new HomelabConflictException(errorCode, detail, requestId, body, null);
      case 422 ->
          new HomelabValidationException(
              errorCode,
              detail,
              requestId,
              body,
              json == null ? null : json.getString("field"),
              null);
      case 429 ->
          new HomelabRateLimitedException(
              errorCode, detail, requestId, body, retryAfterSeconds, null);
      default -> new HomelabHttpException(status, errorCode, detail, requestId, body, null);
    };
  }

  private static JsonObject parse(String body) {
    if (body == null || body.isBlank()) {
      return null;
    }
    try {
      return new JsonObject(body);
    } catch (DecodeException | ClassCastException notTheStandardBody) {
      return null;
    }
  }

  private static String message(int status, String errorCode, String detail, String requestId) {
    StringBuilder message = new StringBuilder("HTTP ").append(status);
    if (errorCode != null) {
      message.append(' ').append(errorCode);
    }
    if (detail != null) {
      message.append(": ").append(detail);
    }
    if (requestId != null) {
      message.append(" (request_id ").append(requestId).append(')');
    }
    return message.toString();
  }

  /**
   * @return the HTTP status
   */
  public int status() {
    return status;
  }

  /**
   * @return the server's {@code error_code}, for example {@code VALIDATION_FAILED}, or {@code null}
   */
  public String errorCode() {
    return errorCode;
  }

  /**
   * @return the server's explanation, or {@code null}
   */
  public String detail() {
    return detail;
  }

  /**
   * @return the id the server gave the request, or {@code null}
   */
  public String requestId() {
    return requestId;
  }

  /**
   * @return the raw response body, possibly empty
   */
  public String body() {
    return body;
  }

  @Override
  public HomelabHttpException copyAsCause() {
    return new HomelabHttpException(status, errorCode, detail, requestId, body, this);
  }
}
