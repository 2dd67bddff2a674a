package dev.homelab.simulators.proxmox;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The simulator seen over HTTPS with a plain Vert.x client: authentication, the envelope and its
 * quirks, a task that moves a guest, and the injected faults.
 */
class ProxmoxSimulatorTest {

  private final Vertx vertx = Vertx.vertx();
  // No keep-alive: a pooled connection shared by this thread's calls, each on a new context, can
  // end a response before its body handler is set (see core's UpstreamHttp.onContext).
  private final HttpClient http =
      vertx.createHttpClient(
          new HttpClientOptions()
              .setSsl(true)
              .setTrustAll(true)
              .setVerifyHost(false)
              .setKeepAlive(false));

  @AfterEach
  void stop() throws Exception {
    await(vertx.close());
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
  }

  private ProxmoxSimulator simulator(String version, List<SimulatedGuest> guests) throws Exception {
    return await(
        ProxmoxSimulator.start(
            vertx,
            ProxmoxSimulator.Setup.of("nas", version, guests)
                .withTaskDuration(Duration.ofMillis(500))));
  }

  /** An answer: status, reason phrase and body. */
  private record Reply(int status, String reason, String body) {
    JsonObject json() {
      return new JsonObject(body);
    }
  }

  private Reply call(ProxmoxSimulator simulator, HttpMethod method, String path, String auth)
      throws Exception {
    RequestOptions options =
        new RequestOptions()
            .setMethod(method)
            .setHost("127.0.0.1")
            .setPort(simulator.port())
            .setURI("/api2/json" + path);
    if (auth != null) {
      options.putHeader("Authorization", auth);
    }
    return await(
        http.request(options)
            .compose(request -> request.send())
            .compose(
                (HttpClientResponse response) ->
                    response
                        .body()
                        .map(
                            body ->
                                new Reply(
                                    response.statusCode(),
                                    response.statusMessage(),
                                    body.toString()))));
  }

  private Reply get(ProxmoxSimulator simulator, String path) throws Exception {
    return call(simulator, HttpMethod.GET, path, simulator.authorization());
  }

  @Test
  void tokensAreCheckedInBothFormsAndTheFingerprintIsPublished() throws Exception {
    ProxmoxSimulator simulator = simulator("8.3.2", ProxmoxSimulator.fixtureGuests());
    Reply none = call(simulator, HttpMethod.GET, "/version", null);
    assertThat(none.status()).isEqualTo(401);
    assertThat(none.reason()).isEqualTo("No ticket");
    Reply wrong = call(simulator, HttpMethod.GET, "/version", "PVEAPIToken=root@pam!homelab=wrong");
    assertThat(wrong.reason()).isEqualTo("Authentication failed!");
    String spaced =
        "PVEAPIToken " + simulator.setup().tokenId() + "=" + simulator.setup().tokenSecret();
    assertThat(call(simulator, HttpMethod.GET, "/version", spaced).status()).isEqualTo(200);

    JsonObject node = get(simulator, "/nodes").json().getJsonArray("data").getJsonObject(0);
    assertThat(node.getString("node")).isEqualTo("nas");
    assertThat(node.getString("ssl_fingerprint")).isEqualTo(simulator.fingerprint()).hasSize(95);
  }

  @Test
  void errorsCarryTheirTextInTheStatusLineAndInTheBodyFromVersion83() throws Exception {
    ProxmoxSimulator old = simulator("8.2.4", List.of());
    ProxmoxSimulator recent = simulator("9.0.6", List.of());
    Reply oldUnknown = get(old, "/nodes/nas/nothing");
    assertThat(oldUnknown.status()).isEqualTo(501);
    assertThat(oldUnknown.reason()).isEqualTo("Method 'GET /nodes/nas/nothing' not implemented");
    assertThat(oldUnknown.json().encode()).isEqualTo("{\"data\":null}");
    Reply recentUnknown = get(recent, "/nodes/nas/qemu/104/status/current");
    assertThat(recentUnknown.status()).isEqualTo(500);
    assertThat(recentUnknown.json().getString("message"))
        .isEqualTo(recentUnknown.reason())
        .isEqualTo("Configuration file 'nodes/nas/qemu-server/104.conf' does not exist");
    Reply badVmid = get(recent, "/nodes/nas/qemu/abc/status/current");
    assertThat(badVmid.status()).isEqualTo(400);
    assertThat(badVmid.json().getJsonObject("errors").getString("vmid")).contains("abc");
  }

  /** Polls a task until it stopped, a bounded number of times. */
  private JsonObject ended(ProxmoxSimulator simulator, String path) throws Exception {
    for (int i = 0; i < 2_000; i++) {
      JsonObject task = get(simulator, path).json().getJsonObject("data");
      if (task.getString("status").equals("stopped")) {
        return task;
      }
    }
    throw new AssertionError("the task did not end");
  }

  @Test
  void aStartRunsAsATaskAndMovesTheGuestWhenItEnds() throws Exception {
    ProxmoxSimulator simulator =
        simulator(
            "9.0.6",
            List.of(
                SimulatedGuest.qemu(100, "web", false),
                SimulatedGuest.lxc(101, "dns", false)
                    .failingStart("startup for container failed")));
    Reply started =
        call(
            simulator,
            HttpMethod.POST,
            "/nodes/nas/qemu/100/status/start",
            simulator.authorization());
    String upid = started.json().getString("data");
    assertThat(upid)
        .matches("UPID:nas:[0-9A-F]{8}:[0-9A-F]{8,9}:[0-9A-F]{8}:qmstart:100:root@pam!homelab:");
    String encoded = upid.replace(":", "%3A").replace("!", "%21").replace("@", "%40");
    JsonObject status = get(simulator, "/nodes/nas/tasks/" + encoded + "/status").json();
    assertThat(status.getJsonObject("data").getString("status")).isEqualTo("running");
    JsonObject ended = ended(simulator, "/nodes/nas/tasks/" + encoded + "/status");
    assertThat(ended.getString("exitstatus")).isEqualTo("OK");
    assertThat(ended.getString("id")).isEqualTo("100");
    assertThat(simulator.guestStatus(100)).isEqualTo("running");
    JsonArray log =
        get(simulator, "/nodes/nas/tasks/" + encoded + "/log").json().getJsonArray("data");
    assertThat(log.getJsonObject(log.size() - 1).getString("t")).isEqualTo("TASK OK");

    String failing =
        call(
                simulator,
                HttpMethod.POST,
                "/nodes/nas/lxc/101/status/start",
                simulator.authorization())
            .json()
            .getString("data");
    String failingPath = "/nodes/nas/tasks/" + failing.replace("!", "%21") + "/status";
    JsonObject failed = ended(simulator, failingPath);
    assertThat(failed.getString("exitstatus")).isEqualTo("startup for container failed");
    assertThat(simulator.guestStatus(101)).isEqualTo("stopped");
  }

  @Test
  void oldVersionsSendTheContainerVmidAsAString() throws Exception {
    ProxmoxSimulator simulator = simulator("7.4-16", ProxmoxSimulator.fixtureGuests());
    JsonArray containers = get(simulator, "/nodes/nas/lxc").json().getJsonArray("data");
    assertThat(containers).isNotEmpty();
    assertThat(containers.getJsonObject(0).getValue("vmid")).isInstanceOf(String.class);
    JsonObject status = get(simulator, "/nodes/nas/status").json().getJsonObject("data");
    assertThat(status.getString("pveversion")).startsWith("pve-manager/7.4-16/");
    assertThat(status.getJsonArray("loadavg").getValue(0)).isInstanceOf(String.class);
  }

  @Test
  void faultsAreInjectedAndCleared() throws Exception {
    ProxmoxSimulator simulator = simulator("8.3.2", List.of());
    simulator.failNext(2);
    assertThat(get(simulator, "/version").status()).isEqualTo(500);
    assertThat(get(simulator, "/version").reason()).isEqualTo("simulated failure");
    assertThat(get(simulator, "/version").status()).isEqualTo(200);

    simulator.reachability(ProxmoxSimulator.Reachability.UNREACHABLE);
    assertThat(get(simulator, "/nodes/nas/status").status()).isEqualTo(596);
    simulator.reachability(ProxmoxSimulator.Reachability.OFFLINE);
    assertThat(get(simulator, "/nodes/nas/status").status()).isEqualTo(595);
    assertThat(
            get(simulator, "/nodes")
                .json()
                .getJsonArray("data")
                .getJsonObject(0)
                .getString("status"))
        .isEqualTo("offline");

    simulator.garbage(true);
    Reply garbage = get(simulator, "/version");
    assertThat(garbage.status()).isEqualTo(200);
    assertThat(garbage.body()).doesNotStartWith("{");

    simulator.clearFaults();
    simulator.resetConnections(true);
    Throwable reset = null;
    try {
      get(simulator, "/version");
    } catch (Exception e) {
      reset = e;
    }
    assertThat(reset).isNotNull();
    simulator.clearFaults();
    assertThat(get(simulator, "/nodes/nas/status").status()).isEqualTo(200);
    assertThat(simulator.requestCount(HttpMethod.GET, "/version")).isEqualTo(5);
  }
}
