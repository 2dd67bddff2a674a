package dev.homelab.server.http;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** Sends JSON answers, and hands failures to the {@link ErrorHandler}. */
public final class Responses {

  private Responses() {}

  /**
   * Ends the response with a JSON body.
   *
   * @param ctx the request
   * @param status the HTTP status
   * @param body the body
   */
  public static void json(RoutingContext ctx, int status, JsonObject body) {
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
    result.onSuccess(done -> ctx.response().setStatusCode(204).end()).onFailure(ctx::fail);
  }
}
