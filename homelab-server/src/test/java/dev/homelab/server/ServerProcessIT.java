package dev.homelab.server;

import static org.assertj.core.api.Assertions.as;
import static org.assertj.core.api.Assertions.assertThat;

import dev.homelab.core.testing.PostgresExtension;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.InstanceOfAssertFactories;
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

  private final ServerJar jars = new ServerJar();
  private final HttpClient http = jars.http;
  @TempDir Path dir;

  @AfterEach
  void killLeftovers() {
    jars.close();
  }

  @Test
  void theEmbeddedDefaultRunsOnSqliteInTheWorkingDirectory() throws Exception {
    int port = ServerJar.freePort();
    Process server = jars.launch(dir, Map.of("PORT", String.valueOf(port)));
    jars.awaitUp(server, port, dir);
    HttpResponse<String> health = jars.get(port, "/health");
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
    String jwt = jars.login(port, dir);
    assertThat(jars.get(port, "/api/auth/me").statusCode()).isEqualTo(401);
    assertThat(new JsonObject(jars.get(port, "/api/auth/me", jwt).body()).getString("username"))
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
        jars.launch(
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
  void aTakenPortIsOneClearLineAndANonZeroExitWithEverythingClosed() throws Exception {
    String address;
    Process server;
    try (ServerSocket taken = new ServerSocket()) {
      taken.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
      address = "127.0.0.1:" + taken.getLocalPort();
      server = jars.launch(dir, Map.of("PORT", String.valueOf(taken.getLocalPort())));
      // Still holding the port: the process must give up on its own, not wait for it.
      assertThat(server.waitFor(30, TimeUnit.SECONDS))
          .as("the process exits by itself:\n%s", Files.readString(dir.resolve("console.log")))
          .isTrue();
    }
    String console = Files.readString(dir.resolve("console.log"));
    assertThat(server.exitValue()).as(console).isEqualTo(Main.EXIT_START_FAILED);
    assertThat(console.lines().filter(line -> line.contains(address)).toList())
        .as(console)
        .singleElement(as(InstanceOfAssertFactories.STRING))
        .contains("Homelab failed to start: " + address + " is already in use");
    assertThat(console)
        .doesNotContain("BindException")
        .doesNotContain("\tat io.netty")
        .doesNotContain("\tat java.")
        .doesNotContain("Exception in thread");
    assertThat(Files.readString(dir.resolve("logs/homelab.log")))
        .as("the log file has the same line")
        .contains("Homelab failed to start: " + address + " is already in use");
    // The store was migrated before the bind failed, and is whole; the next start on a free port
    // uses it and the secrets generated the first time.
    try (Connection db =
            DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("data/homelab.db"));
        ResultSet check = db.createStatement().executeQuery("PRAGMA integrity_check");
        ResultSet logs = db.createStatement().executeQuery("SELECT COUNT(*) FROM access_logs")) {
      assertThat(check.next() && check.getString(1).equals("ok")).isTrue();
      assertThat(logs.next() && logs.getLong(1) == 0).isTrue();
    }
    int port = ServerJar.freePort();
    Process again = jars.launch(dir, Map.of("PORT", String.valueOf(port)));
    jars.awaitUp(again, port, dir);
    assertThat(jars.get(port, "/health").statusCode()).isEqualTo(200);
    jars.login(port, dir);
  }

  @Test
  void sigtermLetsInFlightRequestsFinishAndExitsZero() throws Exception {
    int port = ServerJar.freePort();
    Process server = jars.launch(dir, Map.of("PORT", String.valueOf(port)));
    jars.awaitUp(server, port, dir);
    String jwt = jars.login(port, dir);
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
      // The scenario itself, not a wait for a signal: the head must have reached the server before
      // SIGTERM, and the server must still be alive half a second after it.
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
    int port2 = ServerJar.freePort();
    Process again = jars.launch(dir, Map.of("PORT", String.valueOf(port2)));
    jars.awaitUp(again, port2, dir);
    assertThat(jars.get(port2, "/api/settings/in.flight", jars.login(port2, dir)).body())
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
    int port1 = ServerJar.freePort();
    int port2 = ServerJar.freePort();
    String url = PG.uriOf(database);
    Process first =
        jars.launch(dir.resolve("one"), Map.of("PORT", String.valueOf(port1), "DATABASE_URL", url));
    Process second =
        jars.launch(dir.resolve("two"), Map.of("PORT", String.valueOf(port2), "DATABASE_URL", url));
    jars.awaitUp(first, port1, dir.resolve("one"));
    jars.awaitUp(second, port2, dir.resolve("two"));
    for (int port : new int[] {port1, port2}) {
      JsonObject health = new JsonObject(jars.get(port, "/health").body());
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
