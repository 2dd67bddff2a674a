package dev.homelab.server.http;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

/**
 * Runs a handler only for requests under a path prefix, from a route without a path of its own.
 * Routes with a path become part of the route label in the HTTP metrics ({@code /api/>/api/x}), so
 * cross-cutting handlers such as authentication are mounted pathless and scoped here instead.
 */
public final class PathScoped implements Handler<RoutingContext> {

  private final String prefix;
  private final Handler<RoutingContext> handler;

  private PathScoped(String prefix, Handler<RoutingContext> handler) {
    this.prefix = prefix;
    this.handler = handler;
  }

  /**
   * @param prefix a path such as {@code /api}: matches it exactly and everything below it
   * @param handler the handler
   * @return a handler that calls {@code handler} for matching paths and skips the others
   */
  public static Handler<RoutingContext> under(String prefix, Handler<RoutingContext> handler) {
    return new PathScoped(prefix, handler);
  }

  @Override
  public void handle(RoutingContext ctx) {
    // The normalised path is what the router matches routes against ("/api/../x" is "/x").
    String path = ctx.normalizedPath();
    if (path.equals(prefix) || path.startsWith(prefix + "/")) {
      handler.handle(ctx);
    } else {
      ctx.next();
    }
  }
}
