package dev.homelab.server.routes;

import dev.homelab.core.health.HealthReport;
import dev.homelab.core.health.SystemHealth;
import dev.homelab.core.identity.Role;
import dev.homelab.core.store.StorageStatus;
import dev.homelab.server.http.ApiError;
import dev.homelab.server.http.Responses;
import dev.homelab.server.http.Routes;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * {@code /health}, {@code /health/live} and {@code /health/ready}: unauthenticated, for Docker,
 * load balancers and monitoring. {@code /api/health/detailed} tells more of the internals (Redis,
 * each upstream, their latencies and breakers), so, like everything under {@code /api}, it needs a
 * login (viewers and up).
 */
public final class HealthRoutes {

  /** How long the database may take to answer a health probe. */
  static final Duration PROBE_TIMEOUT = Duration.ofSeconds(3);

  private final StorageStatus storage;
  private final String version;
  private final SystemHealth detailed;
  private final long startedNanos = System.nanoTime();

  /**
   * @param storage the open store to probe
   * @param version the server's version
   * @param detailed checks the store, Redis and the upstreams for {@code /api/health/detailed}
   */
  public HealthRoutes(StorageStatus storage, String version, SystemHealth detailed) {
    this.storage = storage;
    this.version = version;
    this.detailed = detailed;
  }

  /**
   * @param routes where to register
   */
  public void register(Routes routes) {
    routes.route(HttpMethod.GET, "/health", this::health);
    routes.route(
        HttpMethod.GET,
        "/health/live",
        ctx -> Responses.json(ctx, 200, new JsonObject().put("status", "alive")));
    routes.route(HttpMethod.GET, "/health/ready", this::ready);
    // Always 200: the report is the answer, its status field says how things are (/health is
    // the one whose status code a probe reads).
    routes.route(
        HttpMethod.GET,
        "/api/health/detailed",
        Role.VIEWER,
        ctx -> Responses.json(ctx, 200, detailed.check().map(HealthReport::toJson)));
  }

  private void health(RoutingContext ctx) {
    storage
        .ping()
        .timeout(PROBE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
        .onComplete(
            ping -> {
              JsonObject body =
                  new JsonObject()
                      .put("status", ping.succeeded() ? "healthy" : "unhealthy")
                      .put("version", version)
                      .put("database", ping.succeeded() ? "ok" : "error")
                      .put("database_type", storage.kind().label())
                      .put(
                          "uptime_seconds",
                          TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - startedNanos));
              Responses.json(ctx, ping.succeeded() ? 200 : 503, body);
            });
  }

  private void ready(RoutingContext ctx) {
    // The store applied its migrations before the server started listening, so a reachable
    // database means a migrated one.
    storage
        .ping()
        .timeout(PROBE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
        .onSuccess(
            v ->
                Responses.json(
                    ctx,
                    200,
                    new JsonObject()
                        .put("status", "ready")
                        .put("database", "ok")
                        .put("schema_version", storage.schemaVersion())))
        .onFailure(
            failure -> ApiError.send(ctx, 503, "NOT_READY", "the database is not reachable"));
  }
}
