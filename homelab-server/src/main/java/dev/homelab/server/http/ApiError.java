package dev.homelab.server.http;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;

/**
 * The one error body the server sends: {@code {"detail", "error_code", "timestamp", "request_id"}}.
 */
public final class ApiError {

  private ApiError() {}

  /**
   * Ends the response with the standard error body, unless it has already been sent.
   *
   * @param ctx the request
   * @param status the HTTP status
   * @param errorCode an upper snake case code, for example {@code NOT_FOUND}
   * @param detail a sentence for people, without internals
   */
  public static void send(RoutingContext ctx, int status, String errorCode, String detail) {
    send(ctx, status, errorCode, detail, null);
  }

  /**
   * Like {@link #send(RoutingContext, int, String, String)}, naming the offending field of a 422.
   *
   * @param ctx the request
   * @param status the HTTP status
   * @param errorCode an upper snake case code
   * @param detail a sentence for people, without internals
   * @param field the offending field, as the API spells it (a path such as {@code metadata.room}),
   *     or {@code null}
   */
  public static void send(
      RoutingContext ctx, int status, String errorCode, String detail, String field) {
    if (ctx.response().ended() || ctx.response().closed()) {
      return;
    }
    JsonObject body = body(errorCode, detail, RequestIds.ensure(ctx));
    if (field != null) {
      body.put("field", field);
    }
    if (ctx.response().headWritten()) {
      // Part of the answer is out: ending it would make a cut body look complete to the caller
      // (the last chunk of a chunked answer, or a short one whose length the caller may not check).
      ctx.response().reset();
      return;
    }
    ctx.response()
        .setStatusCode(status)
        .putHeader("Content-Type", "application/json")
        .putHeader("Cache-Control", "no-store")
        .end(body.encode());
  }

  /**
   * The standard error body.
   *
   * @param errorCode an upper snake case code
   * @param detail a sentence for people, without internals
   * @param requestId the request's id, or {@code null} when none is known
   * @return the body
   */
  public static JsonObject body(String errorCode, String detail, String requestId) {
    return new JsonObject()
        .put("detail", detail)
        .put("error_code", errorCode)
        .put("timestamp", Instant.now().toString())
        .put("request_id", requestId);
  }
}
