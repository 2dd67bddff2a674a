package dev.homelab.server.http;

import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.CorsHandler;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Headers every response carries, and CORS for the configured origins only. Credentials are never
 * allowed cross-origin: the API takes bearer tokens, not cookies, so no origin is ever reflected
 * with {@code Access-Control-Allow-Credentials}.
 */
public final class SecurityHeaders implements Handler<RoutingContext> {

  /** The headers every response carries, including those refused before routing. */
  public static final Map<String, String> STANDARD =
      Map.of(
          "X-Content-Type-Options", "nosniff",
          "X-Frame-Options", "DENY",
          "Content-Security-Policy", "frame-ancestors 'none'",
          "Referrer-Policy", "no-referrer");

  @Override
  public void handle(RoutingContext ctx) {
    MultiMap headers = ctx.response().headers();
    STANDARD.forEach(headers::set);
    ctx.next();
  }

  /**
   * @param origins the allowed origins, for example {@code https://dash.example.lan}; not empty
   * @return the CORS handler
   */
  public static CorsHandler cors(List<String> origins) {
    return CorsHandler.create()
        .addOrigins(origins)
        .allowCredentials(false)
        .allowedMethods(
            Set.of(
                HttpMethod.GET,
                HttpMethod.POST,
                HttpMethod.PUT,
                HttpMethod.PATCH,
                HttpMethod.DELETE,
                HttpMethod.OPTIONS))
        .allowedHeaders(Set.of("Authorization", "Content-Type", "Last-Event-ID", "X-Request-Id"))
        .exposedHeaders(Set.of("X-Request-Id", "Retry-After"))
        .maxAgeSeconds(600);
  }
}
