package dev.homelab.benchmarks.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.homelab.core.testing.BlockedThreadGuard;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs {@link DeviceListLoad}'s measurement with tiny counts against a server in this process:
 * every request of the floor and of the device list answers 200 with overlapping requests, the list
 * holds the devices created, the report compares both, and the heap reading works.
 */
@Timeout(120)
class DeviceListLoadTest {

  /** Tiny by default; {@code -Dload.rate} and {@code -Dload.seconds} make it a probe. */
  private static final int RATE = Integer.getInteger("load.rate", 50);

  private static final int SECONDS = Integer.getInteger("load.seconds", 1);

  @TempDir Path dir;

  @Test
  void theFloorAndTheDeviceListAnswerEveryRequestAndAreReportedSideBySide() throws Exception {
    Vertx vertx = Vertx.vertx();
    try (InProcessServer lab = new InProcessServer(dir, Map.of())) {
      DeviceListLoad.createDevices(lab.port(), lab.jwt, 60);
      JsonObject page =
          new JsonObject(
              HttpClient.newHttpClient()
                  .send(
                      HttpRequest.newBuilder(
                              URI.create("http://127.0.0.1:" + lab.port() + DeviceListLoad.DEVICES))
                          .header("Authorization", "Bearer " + lab.jwt)
                          .build(),
                      HttpResponse.BodyHandlers.ofString())
                  .body());
      assertThat(page.getJsonArray("devices")).hasSize(50);
      assertThat(page.getString("next_cursor")).isNotNull();

      AtomicReference<List<AccessCheckLoad.Result>> measured = new AtomicReference<>();
      // The server and the load share this JVM: a blocked-thread report here says nothing about
      // the driver, whose answers are what is checked.
      BlockedThreadGuard.ignoringReports(
          () -> measured.set(DeviceListLoad.measure(vertx, lab.port(), lab.jwt, RATE, SECONDS, 0)));
      List<AccessCheckLoad.Result> results = measured.get();
      assertThat(results).hasSize(2);
      for (AccessCheckLoad.Result result : results) {
        assertThat(result.ok()).as(result.name()).isEqualTo((long) RATE * SECONDS);
        assertThat(result.errors()).as(result.name()).isZero();
      }
      assertThat(DeviceListLoad.report(results))
          .contains("| GET /api/devices?limit=50 | " + RATE + " |")
          .contains("p50: devices ")
          .contains("p99: devices ")
          .contains("floor");

      assertThat(DeviceListLoad.heapAfterGc(ProcessHandle.current().pid(), lab.port()))
          .isPositive();
    } finally {
      vertx.close().await();
    }
  }

  @Test
  void theHeapIsTheSumOfTheHeapPoolsOnly() {
    String metrics =
        String.join(
            "\n",
            "# TYPE jvm_memory_used_bytes gauge",
            "jvm_memory_used_bytes{area=\"heap\",id=\"G1 Eden Space\"} 1000.0",
            "jvm_memory_used_bytes{area=\"nonheap\",id=\"Metaspace\"} 50000.0",
            "jvm_memory_used_bytes{area=\"heap\",id=\"G1 Old Gen\"} 2.5E3",
            "jvm_memory_max_bytes{area=\"heap\",id=\"G1 Old Gen\"} 9999999.0");
    assertThat(DeviceListLoad.heapUsed(metrics)).isEqualTo(3500);
    assertThatThrownBy(() -> DeviceListLoad.heapUsed("up 1"))
        .isInstanceOf(IllegalStateException.class);
  }
}
