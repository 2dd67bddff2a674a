package dev.homelab.server;

import static dev.homelab.core.testing.VertxTesting.await;
import static dev.homelab.core.testing.VertxTesting.awaitFailure;
import static org.assertj.core.api.Assertions.assertThat;

import dev.homelab.core.testing.PostgresExtension;
import dev.homelab.core.testing.VertxTesting;
import io.vertx.core.Vertx;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A start that fails at any of its steps closes everything the steps before it opened: afterwards
 * no port is bound, no PostgreSQL or Redis connection is left, no thread of ours runs and no file
 * of the data directory is open. The same holds after a full start and a shutdown ("none"). Runs on
 * PostgreSQL with Redis, where every step opens something real.
 */
@Timeout(120)
class StartFailureEveryStepIT {

  @RegisterExtension static final PostgresExtension PG = new PostgresExtension();

  @TempDir Path dir;
  private final Vertx vertx = Vertx.vertx(VertxTesting.options());

  @AfterEach
  void close() {
    await(vertx.close());
  }

  static Stream<String> steps() {
    List<String> steps = new ArrayList<>(HomelabServer.START_STEPS);
    steps.add("none");
    return steps.stream();
  }

  @ParameterizedTest
  @MethodSource("steps")
  void aFailedStartLeavesNothingOpen(String step) throws Exception {
    String database = PG.newDatabase();
    int port = freePort();
    int gatewayPort = freePort();
    int redisClients = redisClients();
    List<Thread> before = StartFailureTest.homelabThreads();
    ServerConfig config =
        ServerConfig.of(
            Map.of(
                "PORT",
                String.valueOf(port),
                "DATA_DIR",
                dir.toString(),
                "LOG_DIR",
                "",
                "ACCESS_TOKEN",
                ServerTesting.ACCESS_TOKEN,
                "DATABASE_URL",
                PG.uriOf(database),
                "REDIS_URL",
                "redis://127.0.0.1:6379",
                "METRICS_INTERVAL_HOST",
                "1",
                "MQTT_GATEWAY_PORT",
                String.valueOf(gatewayPort)));
    if (step.equals("none")) {
      HomelabServer server = await(HomelabServer.start(vertx, config, Metrics.newRegistry()));
      assertThat(server.port()).isEqualTo(port);
      await(server.shutdown(Duration.ofSeconds(5)));
    } else {
      Throwable failure =
          awaitFailure(HomelabServer.start(vertx, config, Metrics.newRegistry(), step));
      assertThat(failure).hasMessage("failed on purpose: " + step);
    }

    for (int listened : new int[] {port, gatewayPort}) {
      try (ServerSocket again = new ServerSocket()) {
        again.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), listened));
      }
    }
    Awaitility.await("PostgreSQL connections of " + database + " closed")
        .atMost(Duration.ofSeconds(10))
        .until(() -> postgresConnections(database) == 0);
    Awaitility.await("Redis connections closed")
        .atMost(Duration.ofSeconds(10))
        .until(() -> redisClients() <= redisClients);
    StartFailureTest.assertNoNewThreadRuns(before);
  }

  private static int freePort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      return socket.getLocalPort();
    }
  }

  private static int postgresConnections(String database) throws Exception {
    try (Connection connection = PG.connect("postgres");
        Statement statement = connection.createStatement();
        ResultSet rows =
            statement.executeQuery(
                "select count(*) from pg_stat_activity where datname = '" + database + "'")) {
      rows.next();
      return rows.getInt(1);
    }
  }

  /** {@code connected_clients} of the Redis on loopback, not counting this question's own. */
  private static int redisClients() throws Exception {
    try (Socket socket = new Socket("127.0.0.1", 6379)) {
      socket.setSoTimeout(5_000);
      OutputStream out = socket.getOutputStream();
      out.write("INFO clients\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      BufferedReader in =
          new BufferedReader(
              new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        if (line.startsWith("connected_clients:")) {
          return Integer.parseInt(line.substring("connected_clients:".length()).strip()) - 1;
        }
      }
      throw new AssertionError("Redis did not say how many clients it has");
    }
  }
}
