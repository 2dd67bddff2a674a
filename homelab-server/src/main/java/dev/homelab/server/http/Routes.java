package dev.homelab.server.http;

import dev.homelab.core.ValidationException;
import dev.homelab.core.identity.Role;
import dev.homelab.core.internal.Texts;
import dev.homelab.server.auth.RoleGuard;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.PlatformHandler;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Registers routes the same way everywhere: the template is recorded for the access log, and only
 * routes that take a body read one, bounded by the configured limit, as JSON. No route accepts file
 * uploads unless it says so.
 */
public final class Routes {

  /**
   * Refuses a body that is not declared JSON with 415 before the body handler reads it (it would
   * parse a form body, and answer 400 for a broken one). A platform handler, so that Vert.x lets it
   * run ahead of the body handler.
   */
  private static final PlatformHandler JSON_ONLY =
      ctx -> {
        if (JsonBodies.isJson(ctx.request().getHeader("Content-Type"))) {
          ctx.next();
        } else {
          ctx.fail(415);
        }
      };

  private static final String BODY_KEY = "homelab.jsonBody";

  private final Router router;
  private final BodyHandler jsonBody;

  /** Each registered template's methods, for the {@code Allow} header of a 405. */
  private final Map<String, Allowed> allowed = new ConcurrentHashMap<>();

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
    remember(method, path);
    return route
        .handler(RouteTemplates.recorder(route))
        .handler(Routes::requireCleanParameters)
        .handler(handler);
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
    remember(method, path);
    return route
        .handler(RouteTemplates.recorder(route))
        .handler(RoleGuard.atLeast(minimum))
        .handler(Routes::requireCleanParameters)
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
    remember(method, path);
    return route
        .handler(RouteTemplates.recorder(route))
        .handler(JSON_ONLY) // before the body is read: a form or text body is never parsed
        .handler(jsonBody) // Vert.x runs body handlers before any user handler
        .handler(RoleGuard.atLeast(minimum))
        .handler(Routes::requireCleanParameters)
        .handler(Routes::requireJsonObject)
        .handler(handler);
  }

  /**
   * Adds a route whose request body is a JSON object, available as {@code Routes.body(ctx)}. A body
   * that is not JSON is answered 400, one that is not declared JSON 415, one too large 413.
   *
   * @param method the method
   * @param path the path template
   * @param handler the handler
   * @return the route
   */
  public Route jsonRoute(HttpMethod method, String path, Handler<RoutingContext> handler) {
    Route route = router.route(method, path);
    remember(method, path);
    return route
        .handler(RouteTemplates.recorder(route))
        .handler(JSON_ONLY)
        .handler(jsonBody)
        .handler(Routes::requireCleanParameters)
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
    remember(method, path);
    return route
        .handler(RouteTemplates.recorder(route))
        .handler(JSON_ONLY)
        .handler(jsonBody)
        .handler(guard)
        .handler(Routes::requireCleanParameters)
        .handler(Routes::requireJsonObject)
        .handler(handler);
  }

  /**
   * Answers 405 (with {@code Allow}) for every method not registered on a path, ahead of any
   * handler that would otherwise answer first (the authenticator, for the one public route).
   *
   * @param path a path template registered with some methods already
   */
  public void refuseOtherMethods(String path) {
    router.route(path).handler(ctx -> ctx.fail(405));
  }

  /**
   * @param path a request path
   * @return the methods registered on the templates that match it, sorted; empty if none
   */
  public Set<String> allowedMethods(String path) {
    Set<String> methods = new TreeSet<>();
    for (Allowed entry : allowed.values()) {
      if (entry.pattern().matcher(path).matches()) {
        methods.addAll(entry.methods());
      }
    }
    return methods;
  }

  private void remember(HttpMethod method, String path) {
    allowed
        .computeIfAbsent(path, p -> new Allowed(template(p), ConcurrentHashMap.newKeySet()))
        .methods()
        .add(method.name());
  }

  /** A path template ({@code /api/devices/:id}) as a pattern matching the paths it serves. */
  private static Pattern template(String path) {
    StringBuilder regex = new StringBuilder();
    for (String segment : path.split("/", -1)) {
      if (regex.length() > 0 || !segment.isEmpty()) {
        regex.append('/');
      }
      regex.append(segment.startsWith(":") ? "[^/]+" : Pattern.quote(segment));
    }
    return Pattern.compile(regex.length() == 0 ? "/" : regex.toString());
  }

  private record Allowed(Pattern pattern, Set<String> methods) {}

  private static void requireJsonObject(RoutingContext ctx) {
    // The media type was checked by JSON_ONLY before the body was read.
    Object parsed =
        ctx.body().buffer() == null || ctx.body().buffer().length() == 0
            ? null
            : JsonBodies.parse(ctx.body().buffer());
    if (!(parsed instanceof JsonObject)) {
      ctx.fail(
          new ErrorHandler.ApiException(
              400, "MALFORMED_JSON", "the request body must be a JSON object"));
      return;
    }
    JsonBodies.requireCleanText((JsonObject) parsed);
    ctx.put(BODY_KEY, parsed);
    ctx.next();
  }

  /**
   * @param path a request path
   * @return it without trailing slashes, which the router also matches: the path a route registered
   *     it as ({@code /} stays {@code /})
   */
  public static String withoutTrailingSlashes(String path) {
    int end = path.length();
    while (end > 1 && path.charAt(end - 1) == '/') {
      end--;
    }
    return path.substring(0, end);
  }

  /**
   * The body of a route registered with {@code jsonRoute}, as the strict parser read it (Vert.x's
   * own {@code Routes.body(ctx)} would parse it a second time, leniently).
   *
   * @param ctx the request
   * @return the body
   */
  public static JsonObject body(RoutingContext ctx) {
    JsonObject body = ctx.get(BODY_KEY);
    if (body == null) {
      throw new IllegalStateException("not a route registered with jsonRoute");
    }
    return body;
  }

  /**
   * Refuses control characters in path and query parameters (422 naming the parameter), and query
   * strings that do not decode (400), before any handler looks at them.
   */
  private static void requireCleanParameters(RoutingContext ctx) {
    ctx.pathParams()
        .forEach(
            (name, value) -> {
              if (Texts.hasControl(value, false)) {
                throw new ValidationException(name, name + " must not contain control characters");
              }
            });
    MultiMap query;
    try {
      query = ctx.queryParams();
    } catch (IllegalArgumentException e) {
      // The connection guard refuses broken escapes before routing; this is the last resort.
      throw new ErrorHandler.ApiException(
          400, "MALFORMED_REQUEST", "the query string is not valid percent-encoding");
    }
    for (Map.Entry<String, String> entry : query) {
      if (Texts.hasControl(entry.getKey(), false) || Texts.hasControl(entry.getValue(), false)) {
        throw new ValidationException(
            entry.getKey(), "query parameters must not contain control characters");
      }
    }
    ctx.next();
  }
}
