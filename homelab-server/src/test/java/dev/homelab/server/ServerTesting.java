package dev.homelab.server;

import static dev.homelab.core.testing.VertxTesting.await;

import dev.homelab.client.HomelabClient;
import dev.homelab.client.HomelabClientOptions;
import dev.homelab.core.testing.BlockedThreadGuard;
import dev.homelab.core.testing.RedisTesting;
import dev.homelab.core.testing.VertxTesting;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.ext.web.client.WebClientSession;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A real server in-process on a free loopback port, with its own data directory, for one test
 * class.
 */
final class ServerTesting implements AutoCloseable {

  final Vertx vertx;
  final PrometheusMeterRegistry registry;
  final HomelabServer server;

  /** The built-in administrator's access token of every test server. */
  static final String ACCESS_TOKEN = "test-access-token-" + UUID.randomUUID();

  /** Limits high enough that no test hits them unless it sets its own. */
  private static final Map<String, String> GENEROUS_LIMITS =
      Map.of(
          "RATE_LIMIT_PER_MINUTE", "1000000",
          "RATE_LIMIT_LOGIN_PER_MINUTE", "1000000",
          "RATE_LIMIT_AI_PER_MINUTE", "1000000",
          "LOGIN_LOCKOUT_FAILURES", "1000000");

  /** A client logged in as the built-in administrator. */
  final HomelabClient client;

  /** A raw client without credentials. */
  final WebClient web;

  /** A raw client that sends the administrator's session token. */
  final WebClientSession webAdmin;

  /** The administrator's session token. */
  final String adminJwt;

  private ServerTesting(Vertx vertx, PrometheusMeterRegistry registry, HomelabServer server) {
    this.vertx = vertx;
    this.registry = registry;
    this.server = server;
    this.client = newClient(null);
    this.adminJwt = await(client.auth().login(ACCESS_TOKEN)).jwt();
    TestSecrets.remember(ACCESS_TOKEN);
    TestSecrets.remember(adminJwt);
    this.web =
        WebClient.create(
            vertx,
            new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(server.port()));
    this.webAdmin = WebClientSession.create(web).addHeader("Authorization", "Bearer " + adminJwt);
  }

  /**
   * Event subscriptions of test clients reconnect after 10 ms, doubling up to 200 ms, so that no
   * test waits the real 0.5 s to 30 s backoff.
   *
   * @param options client options
   * @return the same options, with short reconnect delays
   */
  static HomelabClientOptions quickReconnects(HomelabClientOptions options) {
    return options.setReconnectDelayMs(10).setMaxReconnectDelayMs(200);
  }

  /**
   * @param token a JWT or API key to send, or {@code null} for none
   * @return a new client of this server, closed with the harness's Vert.x
   */
  HomelabClient newClient(String token) {
    return HomelabClient.create(
        vertx,
        quickReconnects(new HomelabClientOptions())
            .setBaseUrl("http://127.0.0.1:" + server.port())
            .setToken(token)
            .setResponseHook(ServerTesting::matchesTheDocument));
  }

  /**
   * Every answer a test client receives must be one /openapi.json describes: a documented status,
   * and a JSON body that validates against the documented schema. A disagreement fails the call, so
   * the document, the server and the client cannot drift apart unnoticed.
   */
  static void matchesTheDocument(HttpRequest<Buffer> request, HttpResponse<Buffer> response) {
    String uri = request.uri();
    int query = uri.indexOf('?');
    String path = query < 0 ? uri : uri.substring(0, query);
    String disagreement =
        OpenApiDocument.SERVED.disagreement(
            request.method().name(),
            path,
            response.statusCode(),
            response.getHeader("Content-Type"),
            response.body() == null ? "" : response.bodyAsString());
    if (disagreement != null) {
      throw new AssertionError("the answer disagrees with /openapi.json: " + disagreement);
    }
  }

  /**
   * Creates a user through the API and logs them in.
   *
   * @param username the name
   * @param role admin, user or viewer
   * @return a client with the user's session
   */
  HomelabClient newUser(String username, String role) {
    String password = "pw-" + UUID.randomUUID();
    TestSecrets.remember(password);
    await(client.users().create(username, password, role));
    HomelabClient user = newClient(null);
    TestSecrets.remember(await(user.auth().login(username, password)).jwt());
    return user;
  }

  static ServerTesting start(Path dataDir) {
    return start(dataDir, Map.of());
  }

  /**
   * Demo mode: every upstream (two Proxmox VE servers, Frigate, the automation API, the AI hub) is
   * a simulator the server starts on loopback. Add it to a test's settings, or use {@link
   * #startDemo}; {@code BrowserTesting.start(dir, DEMO_MODE)} gives a dashboard with data.
   */
  static final Map<String, String> DEMO_MODE = Map.of("ENABLE_MOCK_DATA", "true");

  /**
   * @param dataDir the server's data directory
   * @return a server in demo mode ({@link #DEMO_MODE})
   */
  static ServerTesting startDemo(Path dataDir) {
    return start(dataDir, DEMO_MODE);
  }

  /** Whether this JVM has started a server already. */
  private static final AtomicBoolean WARM = new AtomicBoolean();

  static ServerTesting start(Path dataDir, Map<String, String> settings) {
    return start(dataDir, settings, Clock.systemUTC());
  }

  /**
   * Like {@link #start(Path, Map)} on a clock of the test's, which every part of the server takes
   * "now" from (timers still run on real time).
   *
   * @param clock the clock, for example a {@code MutableClock}
   */
  static ServerTesting start(Path dataDir, Map<String, String> settings, Clock clock) {
    if (!WARM.getAndSet(true)) {
      // The first start in a JVM loads the server's classes on the event loop; that cold start is
      // not what BlockedThreadGuard checks, so it happens once here, on a scratch directory.
      BlockedThreadGuard.ignoringReports(ServerTesting::coldStart);
    }
    return startServer(dataDir, settings, clock);
  }

  private static void coldStart() {
    try {
      Path scratch = Files.createTempDirectory("homelab-cold-start");
      // With the machine's Redis where there is one, so that the Redis client's classes are
      // loaded here too.
      Map<String, String> settings =
          redisAnswers()
              ? Map.of(
                  "REDIS_URL",
                  RedisTesting.URL,
                  "REDIS_KEY_PREFIX",
                  "homelab-cold-start-" + UUID.randomUUID() + ":")
              : Map.of();
      try (ServerTesting cold = startServer(scratch, settings, Clock.systemUTC())) {
        await(cold.web.get("/health").send());
      }
      try (var paths = Files.walk(scratch)) {
        for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.delete(path);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static boolean redisAnswers() {
    URI url = URI.create(RedisTesting.URL);
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(url.getHost(), url.getPort()), 500);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static ServerTesting startServer(
      Path dataDir, Map<String, String> settings, Clock clock) {
    Map<String, String> values = new HashMap<>();
    values.put("PORT", "0");
    values.put("DATA_DIR", dataDir.toString());
    values.put("LOG_DIR", "");
    values.put("ACCESS_TOKEN", ACCESS_TOKEN);
    values.putAll(GENEROUS_LIMITS);
    // Off unless a test asks: many servers run at once, and only one could have port 1884.
    values.put("MQTT_GATEWAY_PORT", "0");
    values.putAll(settings);
    PrometheusMeterRegistry registry = Metrics.newRegistry();
    Vertx vertx = Metrics.newVertx(VertxTesting.options(), registry);
    HomelabServer server =
        await(HomelabServer.start(vertx, ServerConfig.of(values), registry, null, clock));
    if (values.containsKey("JWT_SECRET")) {
      TestSecrets.remember(values.get("JWT_SECRET"));
    } else {
      try {
        TestSecrets.remember(java.nio.file.Files.readString(dataDir.resolve("jwt_secret")));
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }
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
