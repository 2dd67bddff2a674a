package dev.homelab.benchmarks.load;

import static org.assertj.core.api.Assertions.assertThat;

import dev.homelab.core.testing.BlockedThreadGuard;
import dev.homelab.server.HomelabServer;
import dev.homelab.simulators.proxmox.ProxmoxSimulator;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.List;
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
    try {
      ProxmoxSimulator simulator = ProxyOverheadLoad.startSimulator(vertx);
      try (InProcessServer lab =
          new InProcessServer(dir, ProxyOverheadLoad.serverSettings(simulator, "nas"))) {
        HomelabServer server = lab.server;
        String jwt = lab.jwt;
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
      }
    } finally {
      vertx.close().await();
    }
  }
}
