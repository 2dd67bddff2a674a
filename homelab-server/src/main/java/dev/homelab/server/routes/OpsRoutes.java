package dev.homelab.server.routes;

import dev.homelab.server.ServerConfig;
import dev.homelab.server.ServerConfig.MetricsAccess;
import dev.homelab.server.http.ApiError;
import dev.homelab.server.http.Routes;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.function.Supplier;

/** {@code GET /metrics} (Prometheus text) and {@code GET /openapi.json}. */
public final class OpsRoutes {

  /** The content type of Prometheus' text exposition format. */
  static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

  private final PrometheusMeterRegistry registry;
  private final ServerConfig config;
  private final Supplier<Future<String>> openApi;

  /**
   * @param registry the registry to scrape, or {@code null} when metrics are off
   * @param config the server configuration (metrics access)
   * @param openApi the OpenAPI document as JSON text, built when first asked for
   */
  public OpsRoutes(
      PrometheusMeterRegistry registry, ServerConfig config, Supplier<Future<String>> openApi) {
    this.registry = registry;
    this.config = config;
    this.openApi = openApi;
  }

  /**
   * @param routes where to register
   */
  public void register(Routes routes) {
    if (registry != null && config.metricsAccess() != MetricsAccess.DISABLED) {
      routes.route(HttpMethod.GET, "/metrics", this::metrics);
    }
    // The API description is public, like /health: it holds no data, and /docs reads it before
    // anyone has logged in.
    routes.route(
        HttpMethod.GET,
        "/openapi.json",
        ctx ->
            openApi
                .get()
                .onComplete(
                    doc -> ctx.response().putHeader("Content-Type", "application/json").end(doc),
                    ctx::fail));
  }

  private void metrics(RoutingContext ctx) {
    if (config.metricsAccess() == MetricsAccess.TOKEN && !hasToken(ctx)) {
      ctx.response().putHeader("WWW-Authenticate", "Bearer");
      ApiError.send(ctx, 401, "UNAUTHENTICATED", "/metrics requires the metrics bearer token");
      return;
    }
    ctx.response().putHeader("Content-Type", PROMETHEUS_TEXT).end(registry.scrape());
  }

  private boolean hasToken(RoutingContext ctx) {
    String header = ctx.request().getHeader("Authorization");
    if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return false;
    }
    byte[] given = header.substring(7).trim().getBytes(StandardCharsets.UTF_8);
    return MessageDigest.isEqual(given, config.metricsToken().getBytes(StandardCharsets.UTF_8));
  }
}
