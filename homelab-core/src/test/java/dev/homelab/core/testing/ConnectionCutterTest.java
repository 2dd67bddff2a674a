package dev.homelab.core.testing;

import static dev.homelab.core.testing.VertxTesting.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The relay itself, in front of an echo server: relaying, cutting, black-holing and healing. */
class ConnectionCutterTest {

  Vertx vertx;
  NetServer echo;
  NetClient client;
  ConnectionCutter cutter;

  @BeforeEach
  void start() {
    vertx = VertxTesting.vertx();
    echo = vertx.createNetServer().connectHandler(socket -> socket.handler(socket::write));
    await(echo.listen(0, "127.0.0.1"));
    client = vertx.createNetClient();
    cutter = ConnectionCutter.start(vertx, echo.actualPort());
  }

  @AfterEach
  void stop() {
    cutter.close();
    await(vertx.close());
  }

  /** A connection through the relay, and everything it has received so far. */
  private final class Peer {
    final Buffer received = Buffer.buffer();
    final AtomicBoolean closed = new AtomicBoolean();
    final NetSocket socket;

    Peer() {
      // The handlers are set as the connection completes, before a close can come.
      socket =
          await(
              client
                  .connect(cutter.port(), "127.0.0.1")
                  .map(
                      connected -> {
                        connected.handler(
                            data -> {
                              synchronized (received) {
                                received.appendBuffer(data);
                              }
                            });
                        connected.closeHandler(v -> closed.set(true));
                        return connected;
                      }));
    }

    String received() {
      synchronized (received) {
        return received.toString();
      }
    }

    void awaitReceived(String text) {
      Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> received().equals(text));
    }
  }

  @Test
  void relaysAndCutsAndRestores() {
    Peer one = new Peer();
    one.socket.write("a");
    one.awaitReceived("a");

    cutter.cut();
    Awaitility.await().atMost(Duration.ofSeconds(5)).untilTrue(one.closed);
    Peer refused = new Peer();
    Awaitility.await().atMost(Duration.ofSeconds(5)).untilTrue(refused.closed);

    cutter.restore();
    Peer two = new Peer();
    two.socket.write("b");
    two.awaitReceived("b");
    assertThat(cutter.accepted()).isEqualTo(3);
  }

  @Test
  void aBlackHolePassesNothingAndTheHealDeliversWhatItHeldInOrder() {
    Peer open = new Peer();
    open.socket.write("before ");
    open.awaitReceived("before ");

    cutter.blackHole();
    open.socket.write("in ");
    open.socket.write("the hole");
    Peer opened = new Peer(); // accepted, not relayed on
    opened.socket.write("new");
    // Nothing comes back, nothing closes, for a while.
    Awaitility.await()
        .during(Duration.ofMillis(300))
        .atMost(Duration.ofSeconds(2))
        .until(() -> open.received().equals("before ") && opened.received().isEmpty());
    assertThat(open.closed).isFalse();
    assertThat(opened.closed).isFalse();
    assertThat(cutter.open()).isEqualTo(2);

    cutter.heal();
    open.awaitReceived("before in the hole");
    opened.awaitReceived("new");
    open.socket.write("!");
    open.awaitReceived("before in the hole!");
  }

  @Test
  void aCloseInTheHoleIsPassedOnAtTheHeal() {
    AtomicBoolean serverSawClose = new AtomicBoolean();
    NetServer watcher =
        vertx
            .createNetServer()
            .connectHandler(socket -> socket.closeHandler(v -> serverSawClose.set(true)));
    await(watcher.listen(0, "127.0.0.1"));
    try (ConnectionCutter relay = ConnectionCutter.start(vertx, watcher.actualPort())) {
      NetSocket socket = await(client.connect(relay.port(), "127.0.0.1"));
      Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> relay.open() == 1);
      relay.blackHole();
      await(socket.close());
      Awaitility.await()
          .during(Duration.ofMillis(300))
          .atMost(Duration.ofSeconds(2))
          .until(() -> !serverSawClose.get());

      relay.heal();
      Awaitility.await().atMost(Duration.ofSeconds(5)).untilTrue(serverSawClose);
      assertThat(relay.open()).isZero();
    } finally {
      await(watcher.close());
    }
  }
}
