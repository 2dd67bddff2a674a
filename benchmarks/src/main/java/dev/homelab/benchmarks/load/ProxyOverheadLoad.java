package dev.homelab.benchmarks.load;

import dev.homelab.simulators.proxmox.ProxmoxSimulator;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongFunction;

/**
 * The proxy overhead of {@code GET /api/proxmox/{id}/vms} (issue 18, acceptance 5): an open-loop
 * driver that sends, at one fixed rate each and taking turns request by request, two ways of
 * reading one simulated Proxmox VE server's guests over loopback, and reports their latency
 * percentiles (from each request's due time) side by side:
 *
 * <ol>
 *   <li><b>direct</b>: what the server's client sends the simulator for it, the two index reads
 *       {@code GET /api2/json/nodes/{node}/qemu} and {@code /lxc} in parallel over HTTPS with the
 *       API token header, both bodies read, on at most as many kept-alive connections as the client
 *       uses (8);
 *   <li><b>server</b>: {@code GET /api/proxmox/{id}/vms} with a session token, on the server jar
 *       started in a process of its own and configured with the simulator ({@code PROXMOX_SERVERS},
 *       its certificate pinned).
 * </ol>
 *
 * <p>The simulator runs in this process, so both reach the same one. The server adds its own HTTP
 * hop, authentication, the core client's work (parsing, merging, counting) and rendering: its
 * percentiles minus the direct ones are what a user of the proxy pays, its ratio to them the
 * relative cost.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.homelab.benchmarks.load.ProxyOverheadLoad \
 *     --jar homelab-server/target/homelab-server.jar --rate 100 --seconds 20 --warmup 5
 * </pre>
 */
public final class ProxyOverheadLoad {

  private static final String SERVER_ID = "nas";

  /** As many connections as the core client keeps to one upstream. */
  private static final int CONNECTIONS = 8;

  private ProxyOverheadLoad() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> options = Args.parse(args);
    Path jar = Args.jar(options);
    int rate = Args.integer(options, "rate", 20);
    int seconds = Args.integer(options, "seconds", 20);
    int warmup = Args.integer(options, "warmup", 5);

    Vertx vertx = Vertx.vertx();
    ProxmoxSimulator simulator = startSimulator(vertx);
    Path dir = Files.createTempDirectory("homelab-proxy-load");
    int port = Args.freePort();
    Process server =
        AccessCheckLoad.startServer(jar, dir, port, serverSettings(simulator, SERVER_ID));
    try {
      String jwt = AccessCheckLoad.awaitAndLogIn(server, port, dir);
      System.out.printf(
          "Warming up %d s, then %d s at %d req/s for each of direct and server%n",
          warmup, seconds, rate);
      List<AccessCheckLoad.Result> results =
          measure(vertx, simulator, port, jwt, rate, seconds, warmup);
      System.out.println();
      System.out.println(report(results));
    } finally {
      server.destroy();
      server.waitFor(15, TimeUnit.SECONDS);
      vertx.close().await();
    }
  }

  /**
   * @param vertx where the simulator runs
   * @return a PVE 8.3 node named {@code nas} with the recorded guests
   */
  static ProxmoxSimulator startSimulator(Vertx vertx) {
    List<dev.homelab.simulators.proxmox.SimulatedGuest> guests =
        vertx.executeBlocking(ProxmoxSimulator::fixtureGuests).await();
    return ProxmoxSimulator.start(vertx, ProxmoxSimulator.Setup.of("nas", "8.3.2", guests)).await();
  }

  /**
   * @return the server settings that make {@code id} the simulator, its certificate pinned
   */
  static Map<String, String> serverSettings(ProxmoxSimulator simulator, String id) {
    String prefix = "PROXMOX_" + id.toUpperCase(Locale.ROOT).replace('-', '_') + "_";
    return Map.of(
        "PROXMOX_SERVERS",
        id,
        prefix + "URL",
        simulator.baseUrl(),
        prefix + "TOKEN_ID",
        simulator.setup().tokenId(),
        prefix + "TOKEN_SECRET",
        simulator.setup().tokenSecret(),
        prefix + "FINGERPRINT",
        simulator.fingerprint());
  }

  /**
   * Primes and warms both up, then measures them in turns.
   *
   * @param serverPort where the server configured with {@link #serverSettings} listens
   * @param jwt a session token of the server
   * @return the results of direct and server, in that order
   */
  static List<AccessCheckLoad.Result> measure(
      Vertx vertx,
      ProxmoxSimulator simulator,
      int serverPort,
      String jwt,
      int rate,
      int seconds,
      int warmup) {
    String node = simulator.setup().node();
    HttpClient upstream =
        vertx.createHttpClient(
            new HttpClientOptions()
                .setSsl(true)
                // The baseline pays TLS on its kept-alive connections as the clients do; it only
                // skips checking whose certificate it is.
                .setTrustAll(true)
                .setVerifyHost(false)
                .setDefaultHost("127.0.0.1")
                .setDefaultPort(simulator.port())
                .setKeepAlive(true),
            new PoolOptions().setHttp1MaxSize(CONNECTIONS));
    HttpClient proxy = AccessCheckLoad.localClient(vertx, serverPort, CONNECTIONS);
    try {
      LongFunction<Future<Integer>> direct =
          n ->
              Future.all(
                      AccessCheckLoad.get(
                          upstream,
                          "/api2/json/nodes/" + node + "/qemu",
                          simulator.authorization()),
                      AccessCheckLoad.get(
                          upstream, "/api2/json/nodes/" + node + "/lxc", simulator.authorization()))
                  .map(
                      both ->
                          both.<Integer>resultAt(0) == 200 && both.<Integer>resultAt(1) == 200
                              ? 200
                              : 500);
      LongFunction<Future<Integer>> server =
          n -> AccessCheckLoad.get(proxy, "/api/proxmox/" + SERVER_ID + "/vms", "Bearer " + jwt);
      List<String> names =
          List.of(
              "direct: GET /nodes/" + node + "/qemu + /lxc",
              "server: GET /api/proxmox/" + SERVER_ID + "/vms");
      List<LongFunction<Future<Integer>>> sends = List.of(direct, server);
      // One call of each, one after the other, before any load: the first TLS handshakes, the
      // node's discovery and the server's caches are not what is measured.
      for (LongFunction<Future<Integer>> send : sends) {
        int status = send.apply(0).await();
        if (status != 200) {
          throw new IllegalStateException("a first request answered " + status);
        }
      }
      AccessCheckLoad.interleaved(vertx, names, rate, warmup, sends);
      return AccessCheckLoad.interleaved(vertx, names, rate, seconds, sends);
    } finally {
      upstream.close().await();
      proxy.close().await();
    }
  }

  /**
   * @param results direct and server
   * @return the table of both, then what the server adds to direct at p50 and p99
   */
  static String report(List<AccessCheckLoad.Result> results) {
    return AccessCheckLoad.sideBySide(results, "direct", "server");
  }
}
