package dev.homelab.server.http;

import dev.homelab.core.upstream.UpstreamException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends JSON answers, and hands failures to the {@link ErrorHandler}. A request may have been
 * answered already when its result comes (the request timeout answered 503 while the database was
 * out of reach, and it answered after all): the late result is dropped with a DEBUG line, never
 * written over the answer (which threw, an ERROR line per request).
 */
public final class Responses {

  private static final Logger log = LoggerFactory.getLogger(Responses.class);

  /**
   * Resets a streamed response whose head is out because its upstream failed mid-body (it stalled
   * or its connection broke), and logs why: the caller sees only the reset, the request log only
   * that the response did not end. Not ended: a body cut short must not look complete.
   *
   * @param ctx the request
   * @param failure what broke the upstream's body
   */
  public static void cut(RoutingContext ctx, Throwable failure) {
    if (failure instanceof UpstreamException upstream) {
      log.warn("Request {}: {}; its answer is cut", RequestIds.of(ctx), upstream.getMessage());
    }
    ctx.response().reset();
  }

  private Responses() {}

  /**
   * Ends the response with a JSON body.
   *
   * @param ctx the request
   * @param status the HTTP status
   * @param body the body
   */
  public static void json(RoutingContext ctx, int status, JsonObject body) {
    if (answered(ctx)) {
      return;
    }
    ctx.response()
        .setStatusCode(status)
        .putHeader("Content-Type", "application/json")
        .end(body.encode());
  }

  /**
   * Answers with the future's JSON when it succeeds, and routes its failure to the error handler.
   *
   * @param ctx the request
   * @param status the HTTP status on success
   * @param result the body to come
   */
  public static void json(RoutingContext ctx, int status, Future<JsonObject> result) {
    result.onSuccess(body -> json(ctx, status, body)).onFailure(ctx::fail);
  }

  /**
   * Answers 204 with no body when the future succeeds, and routes its failure to the error handler.
   *
   * @param ctx the request
   * @param result the work to wait for; its value is not sent
   */
  public static void noContent(RoutingContext ctx, Future<?> result) {
    result
        .onSuccess(
            done -> {
              if (!answered(ctx)) {
                ctx.response().setStatusCode(204).end();
              }
            })
        .onFailure(ctx::fail);
  }

  private static boolean answered(RoutingContext ctx) {
    if (ctx.response().headWritten() || ctx.response().closed()) {
      log.debug(
          "Request {} was answered (timed out) or closed before its result came; result dropped",
          RequestIds.of(ctx));
      return true;
    }
    return false;
  }
}
