package dev.homelab.server.routes;

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
 * load balancers and monitoring.
 */
public final class HealthRoutes {

  /** How long the database may take to answer a health probe. */
  static final Duration PROBE_TIMEOUT = Duration.ofSeconds(3);

  private final StorageStatus storage;
  private final String version;
  private final long startedNanos = System.nanoTime();

  /**
   * @param storage the open store to probe
   * @param version the server's version
   */
  public HealthRoutes(StorageStatus storage, String version) {
    this.storage = storage;
    this.version = version;
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
