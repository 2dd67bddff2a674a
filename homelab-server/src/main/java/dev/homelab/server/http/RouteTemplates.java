package dev.homelab.server.http;

import io.vertx.core.Handler;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.PlatformHandler;

/**
 * Remembers which route template ({@code /api/settings/:key}, never the raw path) served a request,
 * for the access log. Registered as the first handler of every API route.
 */
public final class RouteTemplates {

  private static final String KEY = "homelab.route";

  /** The template logged for requests that matched no route. */
  public static final String UNMATCHED = "(unmatched)";

  private RouteTemplates() {}

  /**
   * @param route a route with a path
   * @return a handler that records the route's template and continues
   */
  public static Handler<RoutingContext> recorder(Route route) {
    return new Recorder(route.getPath());
  }

  /** A platform handler, so that it may run before a route's body handler. */
  private record Recorder(String template) implements PlatformHandler {
    @Override
    public void handle(RoutingContext ctx) {
      ctx.put(KEY, template);
      ctx.next();
    }
  }

  /**
   * @param ctx the request
   * @return the template of the route that served it, or {@link #UNMATCHED}
   */
  public static String of(RoutingContext ctx) {
    String template = ctx.get(KEY);
    return template == null ? UNMATCHED : template;
  }
}
