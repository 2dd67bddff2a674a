package dev.homelab.benchmarks.load;

import dev.homelab.core.testing.BlockedThreadGuard;
import dev.homelab.server.HomelabServer;
import dev.homelab.server.Metrics;
import dev.homelab.server.ServerConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The server in the test's process, on its own Vert.x with its metrics as the jar has them, logged
 * in as its administrator: what the load drivers' tests run their measurements against with tiny
 * counts (the drivers themselves start the jar in a process of its own).
 */
final class InProcessServer implements AutoCloseable {

  final PrometheusMeterRegistry registry = Metrics.newRegistry();
  final Vertx vertx = Metrics.newVertx(new VertxOptions(), registry);
  final HomelabServer server;
  final String jwt;

  /**
   * @param dir the data directory
   * @param extra settings beside the data directory, an access token and no rate limit
   */
  InProcessServer(Path dir, Map<String, String> extra) {
    String token = "load-test-token-" + UUID.randomUUID();
    Map<String, String> settings = new HashMap<>(extra);
    settings.put("PORT", "0");
    settings.put("DATA_DIR", dir.toString());
    settings.put("LOG_DIR", "");
    settings.put("ACCESS_TOKEN", token);
    settings.put("RATE_LIMIT_PER_MINUTE", "1000000");
    AtomicReference<HomelabServer> started = new AtomicReference<>();
    // A JVM's first server start loads its classes on an event loop: not what is measured.
    BlockedThreadGuard.ignoringReports(
        () -> started.set(HomelabServer.start(vertx, ServerConfig.of(settings), registry).await()));
    server = started.get();
    jwt =
        vertx
            .createHttpClient()
            .request(HttpMethod.POST, server.port(), "127.0.0.1", "/api/auth/login")
            .compose(
                request ->
                    request
                        .putHeader("Content-Type", "application/json")
                        .send(new JsonObject().put("token", token).encode()))
            .compose(response -> response.body())
            .await()
            .toJsonObject()
            .getString("jwt");
  }

  int port() {
    return server.port();
  }

  @Override
  public void close() {
    try {
      server.shutdown(Duration.ofSeconds(5)).await();
    } finally {
      vertx.close().await();
    }
  }
}
