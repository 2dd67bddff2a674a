package dev.homelab.server;

import static dev.homelab.core.testing.VertxTesting.await;

import dev.homelab.client.HomelabClient;
import dev.homelab.client.HomelabClientOptions;
import dev.homelab.core.testing.VertxTesting;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * A real server in-process on a free loopback port, with its own data directory, for one test
 * class.
 */
final class ServerTesting implements AutoCloseable {

  final Vertx vertx;
  final PrometheusMeterRegistry registry;
  final HomelabServer server;
  final HomelabClient client;
  final WebClient web;

  private ServerTesting(Vertx vertx, PrometheusMeterRegistry registry, HomelabServer server) {
    this.vertx = vertx;
    this.registry = registry;
    this.server = server;
    this.client =
        HomelabClient.create(
            vertx, new HomelabClientOptions().setBaseUrl("http://127.0.0.1:" + server.port()));
    this.web =
        WebClient.create(
            vertx,
            new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(server.port()));
  }

  static ServerTesting start(Path dataDir) {
    return start(dataDir, Map.of());
  }

  static ServerTesting start(Path dataDir, Map<String, String> settings) {
    Map<String, String> values = new HashMap<>();
    values.put("PORT", "0");
    values.put("DATA_DIR", dataDir.toString());
    values.put("LOG_DIR", "");
    values.putAll(settings);
    PrometheusMeterRegistry registry = Metrics.newRegistry();
    Vertx vertx = Metrics.newVertx(VertxTesting.options(), registry);
    HomelabServer server = await(HomelabServer.start(vertx, ServerConfig.of(values), registry));
    return new ServerTesting(vertx, registry, server);
  }

  @Override
  public void close() {
    await(client.close());
    web.close();
    await(server.shutdown(Duration.ofSeconds(5)));
    await(vertx.close());
  }
}
