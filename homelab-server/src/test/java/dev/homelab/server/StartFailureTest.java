package dev.homelab.server;

import static dev.homelab.core.testing.VertxTesting.await;
import static dev.homelab.core.testing.VertxTesting.awaitFailure;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.homelab.core.HomelabException;
import dev.homelab.core.testing.VertxTesting;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link HomelabServer#start} on a port another process holds: it fails with a message naming the
 * address, and everything it opened before binding (store, access engine, monitoring, worker pools)
 * is closed again. {@link ServerProcessIT} checks the same through {@code java -jar}.
 */
@Timeout(60)
class StartFailureTest {

  @TempDir Path dir;
  private final Vertx vertx = Vertx.vertx(VertxTesting.options());

  @AfterEach
  void close() {
    await(vertx.close());
  }

  @Test
  void aTakenPortFailsNamingTheAddressAndLeavesNothingOpen() throws Exception {
    List<Thread> before = homelabThreads();
    try (ServerSocket taken = new ServerSocket()) {
      taken.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
      String address = "127.0.0.1:" + taken.getLocalPort();
      ServerConfig config = config(taken.getLocalPort());

      Throwable failure = awaitFailure(HomelabServer.start(vertx, config, Metrics.newRegistry()));

      assertThat(failure)
          .isInstanceOf(HomelabException.class)
          .hasMessage(address + " is already in use");
      assertThat(failure.getStackTrace()).as("an expected refusal carries no stack").isEmpty();
    }
    // The store was closed: this process holds no file of it open any more.
    assertThat(dir.resolve("homelab.db")).isRegularFile();
    assertThat(openFilesUnder(dir)).as("files still open").isEmpty();
    // The worker pools it opened (host monitor, password hashing, SQLite readers and writer) end.
    assertNoNewThreadRuns(before);
    // The data directory is as a clean stop leaves it: the same store opens on a free port.
    HomelabServer server = await(HomelabServer.start(vertx, config(0), null));
    assertThat(server.port()).isPositive();
    await(server.shutdown(Duration.ofSeconds(5)));
  }

  private ServerConfig config(int port) {
    return ServerConfig.of(
        Map.of(
            "PORT",
            String.valueOf(port),
            "DATA_DIR",
            dir.toString(),
            "LOG_DIR",
            "",
            "ACCESS_TOKEN",
            ServerTesting.ACCESS_TOKEN));
  }

  /** The files under {@code dir} this process has open, from {@code /proc/self/fd} (Linux). */
  private static List<Path> openFilesUnder(Path dir) throws IOException {
    Path fds = Path.of("/proc/self/fd");
    assumeTrue(Files.isDirectory(fds), "needs /proc/self/fd");
    Path real = dir.toRealPath();
    List<Path> open = new ArrayList<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(fds)) {
      for (Path fd : entries) {
        try {
          Path target = Files.readSymbolicLink(fd);
          if (target.startsWith(real)) {
            open.add(target);
          }
        } catch (IOException closedMeanwhile) {
          // the descriptor was closed while listing (the directory stream's own, say)
        }
      }
    }
    return open;
  }

  /**
   * Waits (bounded) for every thread of ours started since {@code before} to end.
   *
   * @param before the threads of ours that ran before
   */
  static void assertNoNewThreadRuns(List<Thread> before) throws InterruptedException {
    for (Thread thread : homelabThreads()) {
      if (!before.contains(thread)) {
        thread.join(Duration.ofSeconds(10).toMillis());
        assertThat(thread.isAlive()).as("%s is still running", thread.getName()).isFalse();
      }
    }
  }

  static List<Thread> homelabThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(thread -> thread.getName().startsWith("homelab-"))
        .toList();
  }
}
