package dev.homelab.benchmarks.load;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongFunction;

/**
 * The REST API under concurrency (reliability row L1): {@code GET /api/devices?limit=50} (the
 * session check, one SQL query for a page of 50 devices, their JSON) beside {@code GET
 * /health/live} on the same server, the floor (the same HTTP stack, rate limiter and access log; no
 * session, no database), sent in turns at a fixed rate each, open loop, over up to {@value
 * #CONNECTIONS} kept-alive connections, so that requests overlap as many callers' would.
 *
 * <p>The server jar runs in a process of its own on its embedded defaults (SQLite in a new data
 * directory) with {@code --devices} devices. Before and after the load its heap is read after a
 * full collection ({@code jcmd PID GC.run}, then {@code jvm_memory_used_bytes{area="heap"}} of
 * {@code /metrics}): what the load leaves behind is the difference.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.homelab.benchmarks.load.DeviceListLoad \
 *     --jar homelab-server/target/homelab-server.jar --rate 200 --seconds 30 --warmup 10
 * </pre>
 */
public final class DeviceListLoad {

  /** At most this many connections from the driver: enough for the open loop not to queue. */
  static final int CONNECTIONS = 64;

  /** The page the load asks for. */
  static final String DEVICES = "/api/devices?limit=50";

  /** The floor: answered by the same server without a session or the database. */
  static final String FLOOR = "/health/live";

  private DeviceListLoad() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> options = Args.parse(args);
    Path jar = Args.jar(options);
    int rate = Args.integer(options, "rate", 200);
    int seconds = Args.integer(options, "seconds", 30);
    int warmup = Args.integer(options, "warmup", 10);
    int devices = Args.integer(options, "devices", 200);

    Vertx vertx = Vertx.vertx();
    Path dir = Files.createTempDirectory("homelab-device-load");
    int port = Args.freePort();
    Process server = AccessCheckLoad.startServer(jar, dir, port, Map.of());
    try {
      String jwt = AccessCheckLoad.awaitAndLogIn(server, port, dir);
      createDevices(port, jwt, devices);
      long heapBefore = heapAfterGc(server.pid(), port);
      System.out.printf(
          "%d devices; warming up %d s, then %d s at %d req/s for each of %s and %s%n",
          devices, warmup, seconds, rate, DEVICES, FLOOR);
      List<AccessCheckLoad.Result> results = measure(vertx, port, jwt, rate, seconds, warmup);
      long heapAfter = heapAfterGc(server.pid(), port);
      System.out.println();
      System.out.println(report(results));
      System.out.printf(
          Locale.ROOT,
          "heap after a full GC: %.1f MB before the load, %.1f MB after (%+.1f MB)%n",
          heapBefore / 1e6,
          heapAfter / 1e6,
          (heapAfter - heapBefore) / 1e6);
    } finally {
      server.destroy();
      server.waitFor(15, TimeUnit.SECONDS);
      vertx.close().await();
    }
  }

  /**
   * Warms both up, then measures them in turns.
   *
   * @param port where the server listens
   * @param jwt a session token of the administrator
   * @return the results of the floor and the device list, in that order
   */
  static List<AccessCheckLoad.Result> measure(
      Vertx vertx, int port, String jwt, int rate, int seconds, int warmup) {
    HttpClient http = AccessCheckLoad.localClient(vertx, port, CONNECTIONS);
    try {
      List<LongFunction<Future<Integer>>> sends =
          List.of(
              n -> AccessCheckLoad.get(http, FLOOR, null),
              n -> AccessCheckLoad.get(http, DEVICES, "Bearer " + jwt));
      List<String> names = List.of("floor: GET " + FLOOR, "GET " + DEVICES);
      if (warmup > 0) {
        AccessCheckLoad.interleaved(vertx, names, rate, warmup, sends);
      }
      return AccessCheckLoad.interleaved(vertx, names, rate, seconds, sends);
    } finally {
      http.close().await();
    }
  }

  /** Creates devices for the administrator, one request each, as a registry fills. */
  static void createDevices(int port, String jwt, int count)
      throws IOException, InterruptedException {
    java.net.http.HttpClient client = java.net.http.HttpClient.newHttpClient();
    for (int i = 0; i < count; i++) {
      JsonObject device =
          new JsonObject()
              .put("name", "load sensor " + i)
              .put("device_type", "sensor")
              .put("description", "rack " + (i % 8))
              .put("metadata", new JsonObject().put("index", i));
      HttpResponse<String> response =
          client.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/devices"))
                  .timeout(Duration.ofSeconds(10))
                  .header("Content-Type", "application/json")
                  .header("Authorization", "Bearer " + jwt)
                  .POST(HttpRequest.BodyPublishers.ofString(device.encode()))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 201) {
        throw new IllegalStateException(
            "creating a device answered " + response.statusCode() + ": " + response.body());
      }
    }
  }

  /**
   * The server's heap in use right after a full collection: {@code jcmd PID GC.run}, then the sum
   * of {@code jvm_memory_used_bytes{area="heap",...}} on {@code /metrics}.
   */
  static long heapAfterGc(long pid, int port) throws IOException, InterruptedException {
    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    Process gc =
        new ProcessBuilder(jcmd.toString(), String.valueOf(pid), "GC.run")
            .redirectErrorStream(true)
            .start();
    String said = new String(gc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!gc.waitFor(60, TimeUnit.SECONDS) || gc.exitValue() != 0) {
      throw new IllegalStateException("jcmd GC.run failed: " + said);
    }
    String metrics =
        java.net.http.HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                    .timeout(Duration.ofSeconds(10))
                    .build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    return heapUsed(metrics);
  }

  /** Sums the heap pools of {@code jvm_memory_used_bytes} in a Prometheus text exposition. */
  static long heapUsed(String metrics) {
    double sum = 0;
    boolean found = false;
    for (String line : metrics.split("\n")) {
      if (line.startsWith("jvm_memory_used_bytes{") && line.contains("area=\"heap\"")) {
        sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
        found = true;
      }
    }
    if (!found) {
      throw new IllegalStateException("no jvm_memory_used_bytes of the heap on /metrics");
    }
    return (long) sum;
  }

  /**
   * @param results the floor and the device list
   * @return the table of both, then what the list adds to the floor at p50 and p99
   */
  static String report(List<AccessCheckLoad.Result> results) {
    return AccessCheckLoad.sideBySide(results, "floor", "devices");
  }
}
