package dev.homelab.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.homelab.core.testing.PostgresExtension;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runnable jar as a user runs it: {@code java -jar homelab-server.jar}, in a process of its
 * own.
 */
@Timeout(120)
class ServerProcessIT {

  @RegisterExtension static final PostgresExtension PG = new PostgresExtension();

  private static final Path JAR =
      Path.of(System.getProperty("homelab.server.jar", "target/homelab-server.jar"));
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final List<Process> processes = new ArrayList<>();
  @TempDir Path dir;

  @AfterEach
  void killLeftovers() {
    processes.forEach(Process::destroyForcibly);
  }

  private Process launch(Path cwd, Map<String, String> env) throws IOException {
    Files.createDirectories(cwd);
    ProcessBuilder builder =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar",
                JAR.toAbsolutePath().toString())
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

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
    return get(port, path, null);
  }

  private HttpResponse<String> get(int port, String path, String jwt)
      throws IOException, InterruptedException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(5));
    if (jwt != null) {
      request.header("Authorization", "Bearer " + jwt);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** Logs in as admin with the access token the server generated into its data directory. */
  private String login(int port, Path cwd) throws IOException, InterruptedException {
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

  private void awaitUp(Process process, int port, Path cwd) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new AssertionError(
            "server exited with "
                + process.exitValue()
                + ":\n"
                + Files.readString(cwd.resolve("console.log")));
      }
      try {
        if (get(port, "/health/live").statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // still starting
      }
      Thread.sleep(100);
    }
    throw new AssertionError(
        "server did not come up:\n" + Files.readString(cwd.resolve("console.log")));
  }

  @Test
  void theEmbeddedDefaultRunsOnSqliteInTheWorkingDirectory() throws Exception {
    int port = freePort();
    Process server = launch(dir, Map.of("PORT", String.valueOf(port)));
    awaitUp(server, port, dir);
    HttpResponse<String> health = get(port, "/health");
    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(new JsonObject(health.body()).getString("database")).isEqualTo("ok");
    assertThat(new JsonObject(health.body()).getString("database_type")).isEqualTo("sqlite");
    assertThat(Files.isRegularFile(dir.resolve("data/homelab.db"))).isTrue();
    assertThat(Files.isRegularFile(dir.resolve("logs/homelab.log"))).isTrue();
    for (String secret : List.of("data/jwt_secret", "data/access_token")) {
      assertThat(Files.getPosixFilePermissions(dir.resolve(secret)))
          .as(secret)
          .isEqualTo(PosixFilePermissions.fromString("rw-------"));
    }
    String jwt = login(port, dir);
    assertThat(get(port, "/api/auth/me").statusCode()).isEqualTo(401);
    assertThat(new JsonObject(get(port, "/api/auth/me", jwt).body()).getString("username"))
        .isEqualTo("admin");
    String log = Files.readString(dir.resolve("logs/homelab.log"));
    assertThat(log)
        .contains("generated one into")
        .doesNotContain(Files.readString(dir.resolve("data/access_token")).strip())
        .doesNotContain(Files.readString(dir.resolve("data/jwt_secret")).strip())
        .doesNotContain(jwt);
    server.destroy();
    assertThat(server.waitFor(10, TimeUnit.SECONDS)).isTrue();
    assertThat(server.exitValue()).isZero();
  }

  @Test
  void anInvalidConfigurationExitsNonZeroListingEveryProblem() throws Exception {
    Process server =
        launch(
            dir, Map.of("PORT", "99999", "DATABASE_URL", "oracle://nope", "LOG_LEVEL", "verbose"));
    assertThat(server.waitFor(30, TimeUnit.SECONDS)).isTrue();
    String console = Files.readString(dir.resolve("console.log"));
    assertThat(server.exitValue()).isEqualTo(Main.EXIT_INVALID_CONFIG);
    assertThat(console)
        .contains("PORT")
        .contains("DATABASE_URL")
        .contains("LOG_LEVEL")
        .doesNotContain("Exception");
    assertThat(Files.exists(dir.resolve("data"))).as("nothing was started").isFalse();
  }

  @Test
  void sigtermLetsInFlightRequestsFinishAndExitsZero() throws Exception {
    int port = freePort();
    Process server = launch(dir, Map.of("PORT", String.valueOf(port)));
    awaitUp(server, port, dir);
    String jwt = login(port, dir);
    String body = "{\"value\":\"written during shutdown\"}";
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(15_000);
      OutputStream out = socket.getOutputStream();
      out.write(
          ("PUT /api/settings/in.flight HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer "
                  + jwt
                  + "\r\nContent-Type: application/json\r\nContent-Length: "
                  + body.length()
                  + "\r\n\r\n"
                  + body.substring(0, 10))
              .getBytes(StandardCharsets.UTF_8));
      out.flush();
      Thread.sleep(300);
      long signalled = System.nanoTime();
      server.destroy(); // SIGTERM
      Thread.sleep(500);
      assertThat(server.isAlive()).as("waits for the in-flight request").isTrue();
      out.write(body.substring(10).getBytes(StandardCharsets.UTF_8));
      out.flush();
      String response = readResponseHead(socket.getInputStream());
      assertThat(response).startsWith("HTTP/1.1 200");
      assertThat(server.waitFor(10, TimeUnit.SECONDS)).isTrue();
      assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - signalled)).isLessThan(10);
      assertThat(server.exitValue()).isZero();
    }
    // The acknowledged write survived the shutdown.
    int port2 = freePort();
    Process again = launch(dir, Map.of("PORT", String.valueOf(port2)));
    awaitUp(again, port2, dir);
    assertThat(get(port2, "/api/settings/in.flight", login(port2, dir)).body())
        .as("the same generated secrets are used after a restart")
        .contains("written during shutdown");
  }

  private static String readResponseHead(InputStream in) throws IOException {
    StringBuilder head = new StringBuilder();
    int c;
    while ((c = in.read()) != -1) {
      head.append((char) c);
      if (head.toString().endsWith("\r\n\r\n")) {
        break;
      }
    }
    return head.toString();
  }

  @Test
  void twoServersStartingTogetherOnOnePostgresMigrateOnce() throws Exception {
    String database = PG.newDatabase();
    int port1 = freePort();
    int port2 = freePort();
    String url = PG.uriOf(database);
    Process first =
        launch(dir.resolve("one"), Map.of("PORT", String.valueOf(port1), "DATABASE_URL", url));
    Process second =
        launch(dir.resolve("two"), Map.of("PORT", String.valueOf(port2), "DATABASE_URL", url));
    awaitUp(first, port1, dir.resolve("one"));
    awaitUp(second, port2, dir.resolve("two"));
    for (int port : new int[] {port1, port2}) {
      JsonObject health = new JsonObject(get(port, "/health").body());
      assertThat(health.getString("database")).isEqualTo("ok");
      assertThat(health.getString("database_type")).isEqualTo("postgresql");
    }
    try (Connection connection = PG.connect(database);
        ResultSet rows =
            connection
                .createStatement()
                .executeQuery(
                    "SELECT count(*) FROM schema_version WHERE version = '1' AND success")) {
      rows.next();
      assertThat(rows.getInt(1)).isEqualTo(1);
    }
    assertThat(Files.exists(dir.resolve("one/data/homelab.db")))
        .as("no SQLite file when PostgreSQL is used")
        .isFalse();
  }
}
