package dev.homelab.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.awaitility.core.TerminalFailureException;

/**
 * Runs the server's runnable jar in processes of their own, as a user does, for the ITs: launch,
 * wait until up, log in, call, and kill whatever is left on close.
 */
final class ServerJar implements AutoCloseable {

  static final Path JAR =
      Path.of(System.getProperty("homelab.server.jar", "target/homelab-server.jar"));

  final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final List<Process> processes = new ArrayList<>();

  /**
   * Starts {@code java -jar homelab-server.jar} in {@code cwd} with only the given configuration
   * (the test JVM's own HOMELAB settings are removed), console output in {@code cwd/console.log}.
   */
  Process launch(Path cwd, Map<String, String> env) throws IOException {
    return launch(cwd, env, List.of());
  }

  /**
   * Like {@link #launch(Path, Map)}, with options for the server's JVM (a heap limit, for example)
   * before {@code -jar}.
   */
  Process launch(Path cwd, Map<String, String> env, List<String> jvmOptions) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.add("-jar");
    command.add(JAR.toAbsolutePath().toString());
    return run(command, cwd, env);
  }

  /**
   * Runs a command that starts the server (the launcher, for example) like {@link #launch(Path,
   * Map)}: in {@code cwd}, with only the given configuration, console output in {@code
   * cwd/console.log}, killed on close.
   */
  Process run(List<String> command, Path cwd, Map<String, String> env) throws IOException {
    Files.createDirectories(cwd);
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(cwd.toFile())
            .redirectErrorStream(true)
            .redirectOutput(cwd.resolve("console.log").toFile());
    builder
        .environment()
        .keySet()
        .removeIf(key -> ServerConfig.DEFAULTS.containsKey(key) || key.equals("HOMELAB_CONFIG"));
    builder.environment().putAll(env);
    Process process = builder.start();
    processes.add(process);
    return process;
  }

  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
    return get(port, path, null);
  }

  HttpResponse<String> get(int port, String path, String jwt)
      throws IOException, InterruptedException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(5));
    if (jwt != null) {
      request.header("Authorization", "Bearer " + jwt);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  static HttpRequest post(int port, String path, String jwt, JsonObject body) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(Duration.ofSeconds(10))
        .header("Content-Type", "application/json")
        .header("Authorization", "Bearer " + jwt)
        .POST(HttpRequest.BodyPublishers.ofString(body.encode()))
        .build();
  }

  /** Logs in as admin with the access token the server generated into its data directory. */
  String login(int port, Path cwd) throws IOException, InterruptedException {
    String token = Files.readString(cwd.resolve("data/access_token")).strip();
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/auth/login"))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        new JsonObject().put("token", token).encode()))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return new JsonObject(response.body()).getString("jwt");
  }

  void awaitUp(Process process, int port, Path cwd) throws Exception {
    try {
      Awaitility.await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(100))
          .failFast("the server exited", () -> !process.isAlive())
          .until(() -> isLive(port));
    } catch (ConditionTimeoutException | TerminalFailureException e) {
      throw new AssertionError(
          (process.isAlive()
                  ? "server did not come up"
                  : "server exited with " + process.exitValue())
              + ":\n"
              + Files.readString(cwd.resolve("console.log")),
          e);
    }
  }

  private boolean isLive(int port) throws InterruptedException {
    try {
      return get(port, "/health/live").statusCode() == 200;
    } catch (IOException notYet) {
      return false; // still starting
    }
  }

  /**
   * A server started by {@link #start}: up, and logged in as its administrator.
   *
   * @param process the server's process
   * @param port where it listens
   * @param jwt the administrator's session token
   */
  record Started(Process process, int port, String jwt) {}

  /**
   * Launches the server on a free port with the given settings (rate limits out of the way), waits
   * until it is up and logs in.
   */
  Started start(Path cwd, Map<String, String> env) throws Exception {
    return start(cwd, env, List.of());
  }

  /** Like {@link #start(Path, Map)}, with options for the server's JVM. */
  Started start(Path cwd, Map<String, String> env, List<String> jvmOptions) throws Exception {
    int port = freePort();
    Map<String, String> config = new java.util.HashMap<>(env);
    config.put("PORT", String.valueOf(port));
    config.put("RATE_LIMIT_PER_MINUTE", "1000000");
    Process server = launch(cwd, config, jvmOptions);
    awaitUp(server, port, cwd);
    return new Started(server, port, login(port, cwd));
  }

  /**
   * Creates a device as the administrator of a started server.
   *
   * @return the new device's id
   */
  String createDevice(Started started, String name, String type)
      throws IOException, InterruptedException {
    HttpResponse<String> created =
        http.send(
            post(
                started.port(),
                "/api/devices",
                started.jwt(),
                new JsonObject().put("name", name).put("device_type", type)),
            HttpResponse.BodyHandlers.ofString());
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    return new JsonObject(created.body()).getString("id");
  }

  /**
   * Kills the server with SIGKILL (no shutdown hook runs) from another thread as soon as {@code
   * when} holds, while the test keeps it busy.
   *
   * @return completes once killed
   */
  static java.util.concurrent.CompletableFuture<Void> killWhen(
      Process server, java.util.function.BooleanSupplier when) {
    return java.util.concurrent.CompletableFuture.runAsync(
        () -> {
          while (!when.getAsBoolean()) {
            Thread.onSpinWait();
          }
          server.destroyForcibly();
        });
  }

  /** Waits for the kill of {@link #killWhen} and checks that the process died of it. */
  static void assertKilled(Process server, java.util.concurrent.CompletableFuture<Void> killer)
      throws Exception {
    killer.get(60, java.util.concurrent.TimeUnit.SECONDS);
    assertThat(server.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    assertThat(server.exitValue()).as("killed, not exited").isNotZero();
  }

  @Override
  public void close() {
    // Descendants first: a launcher's JVM may be its child rather than the process itself.
    processes.forEach(
        process -> {
          process.descendants().forEach(ProcessHandle::destroyForcibly);
          process.destroyForcibly();
        });
  }
}
