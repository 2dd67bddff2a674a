package dev.homelab.server.http;

import dev.homelab.core.identity.Role;
import dev.homelab.server.auth.Access;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.DecodeException;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

/**
 * Registers routes the same way everywhere: the template is recorded for the access log, and only
 * routes that take a body read one, bounded by the configured limit, as JSON. No route accepts file
 * uploads unless it says so.
 */
public final class Routes {

  private final Router router;
  private final BodyHandler jsonBody;

  /**
   * @param router the router to add to
   * @param maxBodySize the largest accepted body, in bytes
   */
  public Routes(Router router, long maxBodySize) {
    this.router = router;
    this.jsonBody = BodyHandler.create(false).setBodyLimit(maxBodySize).setHandleFileUploads(false);
  }

  /**
   * Adds a route without a request body.
   *
   * @param method the method
   * @param path the path template, for example {@code /api/settings/:key}
   * @param handler the handler
   * @return the route
   */
  public Route route(HttpMethod method, String path, Handler<RoutingContext> handler) {
    Route route = router.route(method, path);
    return route.handler(RouteTemplates.recorder(route)).handler(handler);
  }

  /**
   * Adds a route without a request body, for principals with at least the given role.
   *
   * @param method the method
   * @param path the path template
   * @param minimum the least role allowed; others get 403 before anything is read
   * @param handler the handler
   * @return the route
   */
  public Route route(
      HttpMethod method, String path, Role minimum, Handler<RoutingContext> handler) {
    Route route = router.route(method, path);
    return route
        .handler(RouteTemplates.recorder(route))
        .handler(Access.atLeast(minimum))
        .handler(handler);
  }

  /**
   * Adds a route with a JSON object body, for principals with at least the given role; the role is
   * checked before the body is looked at, so a refused caller learns nothing about its validity.
   *
   * @param method the method
   * @param path the path template
   * @param minimum the least role allowed
   * @param handler the handler
   * @return the route
   */
  public Route jsonRoute(
      HttpMethod method, String path, Role minimum, Handler<RoutingContext> handler) {
    Route route = router.route(method, path);
    return route
        .handler(RouteTemplates.recorder(route))
        .handler(jsonBody) // Vert.x runs body handlers before any user handler
        .handler(Access.atLeast(minimum))
        .handler(Routes::requireJsonObject)
        .handler(handler);
  }

  /**
   * Adds a route whose request body is a JSON object, available as {@code
   * ctx.body().asJsonObject()}. A body that is not JSON is answered 400, one that is not declared
   * JSON 415, one too large 413.
   *
   * @param method the method
   * @param path the path template
   * @param handler the handler
   * @return the route
   */
  public Route jsonRoute(HttpMethod method, String path, Handler<RoutingContext> handler) {
    Route route = router.route(method, path);
    return route
        .handler(RouteTemplates.recorder(route))
        .handler(jsonBody)
        .handler(Routes::requireJsonObject)
        .handler(handler);
  }

  /**
   * Adds a route with a JSON object body behind a custom guard, for routes whose callers are not
   * described by a role (devices, for example). The guard runs before the body is looked at.
   *
   * @param method the method
   * @param path the path template
   * @param guard calls {@code ctx.next()} to let the request through, or fails it
   * @param handler the handler
   * @return the route
   */
  public Route jsonRoute(
      HttpMethod method,
      String path,
      Handler<RoutingContext> guard,
      Handler<RoutingContext> handler) {
    Route route = router.route(method, path);
    return route
        .handler(RouteTemplates.recorder(route))
        .handler(jsonBody)
        .handler(guard)
        .handler(Routes::requireJsonObject)
        .handler(handler);
  }

  private static void requireJsonObject(RoutingContext ctx) {
    String type = ctx.request().getHeader("Content-Type");
    if (type == null || !type.toLowerCase(java.util.Locale.ROOT).startsWith("application/json")) {
      ctx.fail(415);
      return;
    }
    Object parsed;
    try {
      parsed = ctx.body().buffer() == null ? null : ctx.body().buffer().toJsonValue();
    } catch (DecodeException e) {
      ctx.fail(e);
      return;
    }
    if (!(parsed instanceof io.vertx.core.json.JsonObject)) {
      ctx.fail(
          new ErrorHandler.ApiException(
              400, "MALFORMED_JSON", "the request body must be a JSON object"));
      return;
    }
    ctx.next();
  }
}
