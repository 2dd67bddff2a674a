package dev.homelab.core.testing;

import static dev.homelab.core.testing.VertxTesting.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The slow link itself: bytes cross whole and in order, no faster than its rate (a lower bound,
 * which a slow machine cannot break), its connections share that rate, and a close passes after the
 * bytes before it.
 */
@Timeout(60)
class SlowLinkTest {

  private static final int RATE = 128 * 1024;

  private Vertx vertx;
  private NetServer server;
  private final Buffer up = random(RATE / 2, 1);
  private final Buffer down = random(RATE / 2, 2);

  @BeforeEach
  void start() {
    vertx = VertxTesting.vertx();
  }

  @AfterEach
  void stop() {
    await(vertx.close());
  }

  @Test
  void bytesCrossWholeInOrderAndNoFasterThanTheRateEachWay() {
    Promise<Buffer> serverGot = Promise.promise();
    int port = serve(socket -> exchange(socket, up.length(), serverGot));
    try (SlowLink link = SlowLink.start(vertx, port, RATE, RATE)) {
      long started = System.nanoTime();
      NetSocket socket = await(vertx.createNetClient().connect(link.port(), "127.0.0.1"));
      Future<Buffer> clientGot = readUntilClosed(socket);
      socket.write(up);
      assertThat(await(serverGot.future())).isEqualTo(up);
      assertThat(await(clientGot)).as("every byte, then the server's close").isEqualTo(down);
      // Half a second's worth up, then (the server answers once it has all) half a second's worth
      // down: at least a second.
      assertThat(Duration.ofNanos(System.nanoTime() - started))
          .isGreaterThanOrEqualTo(Duration.ofMillis(950));
      assertThat(link.carriedUp()).isEqualTo(up.length());
      assertThat(link.carriedDown()).isEqualTo(down.length());
    }
  }

  @Test
  void connectionsShareTheRate() {
    Promise<Buffer> first = Promise.promise();
    Promise<Buffer> second = Promise.promise();
    AtomicInteger accepted = new AtomicInteger();
    int port =
        serve(
            socket ->
                exchange(socket, up.length(), accepted.getAndIncrement() == 0 ? first : second));
    try (SlowLink link = SlowLink.start(vertx, port, RATE, RATE)) {
      long started = System.nanoTime();
      for (int i = 0; i < 2; i++) {
        NetSocket socket = await(vertx.createNetClient().connect(link.port(), "127.0.0.1"));
        socket.write(up);
      }
      assertThat(await(first.future())).isEqualTo(up);
      assertThat(await(second.future())).isEqualTo(up);
      // Two halves of a second's worth over one link: a second at least.
      assertThat(Duration.ofNanos(System.nanoTime() - started))
          .isGreaterThanOrEqualTo(Duration.ofMillis(950));
    }
  }

  /** Reads {@code expected} bytes from a client, then answers with {@link #down} and closes. */
  private void exchange(NetSocket socket, int expected, Promise<Buffer> received) {
    Buffer got = Buffer.buffer();
    socket.handler(
        data -> {
          got.appendBuffer(data);
          if (got.length() == expected) {
            received.tryComplete(got);
            socket.end(down);
          }
        });
  }

  private int serve(Handler<NetSocket> handler) {
    server = vertx.createNetServer().connectHandler(handler);
    return await(server.listen(0, "127.0.0.1")).actualPort();
  }

  private static Future<Buffer> readUntilClosed(NetSocket socket) {
    Promise<Buffer> done = Promise.promise();
    Buffer got = Buffer.buffer();
    socket.handler(got::appendBuffer);
    socket.closeHandler(v -> done.tryComplete(got));
    return done.future();
  }

  private static Buffer random(int length, long seed) {
    byte[] bytes = new byte[length];
    new Random(seed).nextBytes(bytes);
    return Buffer.buffer(bytes);
  }
}
