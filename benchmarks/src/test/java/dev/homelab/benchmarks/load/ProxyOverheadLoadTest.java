package dev.homelab.benchmarks.load;

import static org.assertj.core.api.Assertions.assertThat;

import dev.homelab.core.testing.BlockedThreadGuard;
import dev.homelab.server.HomelabServer;
import dev.homelab.server.ServerConfig;
import dev.homelab.simulators.proxmox.ProxmoxSimulator;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs {@link ProxyOverheadLoad}'s measurement with tiny counts against a server in this process
 * (the driver itself starts the jar in a process of its own): every request of both targets answers
 * 200, and the report compares them.
 */
@Timeout(120)
class ProxyOverheadLoadTest {

  /** Tiny by default; {@code -Dload.rate} and {@code -Dload.seconds} make it a probe. */
  private static final int RATE = Integer.getInteger("load.rate", 20);

  private static final int SECONDS = Integer.getInteger("load.seconds", 1);

  @TempDir Path dir;

  @Test
  void bothTargetsAnswerAndAreReportedSideBySide() {
    Vertx vertx = Vertx.vertx();
    Vertx serverVertx = Vertx.vertx();
    try {
      ProxmoxSimulator simulator = ProxyOverheadLoad.startSimulator(vertx);
      String token = "load-test-token-" + UUID.randomUUID();
      Map<String, String> settings =
          new HashMap<>(ProxyOverheadLoad.serverSettings(simulator, "nas"));
      settings.put("PORT", "0");
      settings.put("DATA_DIR", dir.toString());
      settings.put("LOG_DIR", "");
      settings.put("ACCESS_TOKEN", token);
      settings.put("RATE_LIMIT_PER_MINUTE", "1000000");
      AtomicReference<HomelabServer> started = new AtomicReference<>();
      // A JVM's first server start loads its classes on an event loop: not what is measured.
      BlockedThreadGuard.ignoringReports(
          () ->
              started.set(
                  HomelabServer.start(serverVertx, ServerConfig.of(settings), null).await()));
      HomelabServer server = started.get();
      String jwt =
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

      AtomicReference<List<AccessCheckLoad.Result>> measured = new AtomicReference<>();
      // The simulator, the first TLS handshakes and the load share this JVM: a blocked-thread
      // report here says nothing about the driver, whose answers are what is checked.
      BlockedThreadGuard.ignoringReports(
          () ->
              measured.set(
                  ProxyOverheadLoad.measure(
                      vertx, simulator, server.port(), jwt, RATE, SECONDS, 1)));
      List<AccessCheckLoad.Result> results = measured.get();

      assertThat(results).hasSize(2);
      for (AccessCheckLoad.Result result : results) {
        assertThat(result.sent()).as(result.name()).isEqualTo(RATE * SECONDS);
        assertThat(result.ok()).as(result.name()).isEqualTo(RATE * SECONDS);
        assertThat(result.errors()).as(result.name()).isZero();
      }
      assertThat(results.get(1).name()).isEqualTo("server: GET /api/proxmox/nas/vms");
      assertThat(ProxyOverheadLoad.report(results))
          .contains("| server: GET /api/proxmox/nas/vms | " + RATE + " |")
          .contains("p50: server ")
          .contains("p99: server ")
          .contains("added");
      server.shutdown(Duration.ofSeconds(5)).await();
    } finally {
      serverVertx.close().await();
      vertx.close().await();
    }
  }
}
