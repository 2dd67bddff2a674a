package dev.homelab.core.testing;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP relay on a free loopback port in front of a server, which a test can cut: every open
 * connection closes at once and new ones are closed as they arrive, until {@link #restore()}. It is
 * what a browser sees when the network or the server goes away, which a browser's own offline
 * emulation does not reproduce (it leaves a streaming response that is already open alone), and
 * what a client of a broker or a Redis sees when that restarts; it counts the connections it
 * accepts, the attempts of its clients.
 */
public final class ConnectionCutter implements AutoCloseable {

  private final NetServer server;
  private final NetClient client;
  private final Set<NetSocket> open = ConcurrentHashMap.newKeySet();
  private final AtomicLong accepted = new AtomicLong();
  private volatile boolean cut;

  private ConnectionCutter(Vertx vertx, int target) {
    this.client = vertx.createNetClient();
    this.server =
        vertx
            .createNetServer()
            .connectHandler(
                in -> {
                  accepted.incrementAndGet();
                  if (cut) {
                    in.close();
                    return;
                  }
                  in.pause();
                  client
                      .connect(target, "127.0.0.1")
                      .onSuccess(out -> relay(in, out))
                      .onFailure(e -> in.close());
                });
  }

  /**
   * @param vertx the Vert.x to relay on
   * @param target the server's loopback port
   * @return a relay listening on a free loopback port
   */
  public static ConnectionCutter start(Vertx vertx, int target) {
    ConnectionCutter cutter = new ConnectionCutter(vertx, target);
    VertxTesting.await(cutter.server.listen(0, "127.0.0.1"));
    return cutter;
  }

  private void relay(NetSocket in, NetSocket out) {
    if (cut) {
      in.close();
      out.close();
      return;
    }
    open.add(in);
    open.add(out);
    in.closeHandler(v -> forget(in, out));
    out.closeHandler(v -> forget(out, in));
    in.pipeTo(out);
    out.pipeTo(in);
  }

  private void forget(NetSocket closed, NetSocket other) {
    open.remove(closed);
    other.close();
  }

  /**
   * @return the port to connect to instead of the server's
   */
  public int port() {
    return server.actualPort();
  }

  /**
   * @return how many connections the relay accepted so far, relayed or not: the connection attempts
   *     of its clients
   */
  public long accepted() {
    return accepted.get();
  }

  /** Closes every open connection and every new one, until {@link #restore()}. */
  public void cut() {
    cut = true;
    List<Future<Void>> closed = new ArrayList<>();
    for (NetSocket socket : open) {
      closed.add(socket.close());
    }
    VertxTesting.await(Future.join(closed).otherwiseEmpty());
  }

  /** Relays new connections again. */
  public void restore() {
    cut = false;
  }

  @Override
  public void close() {
    VertxTesting.await(server.close());
    VertxTesting.await(client.close());
  }
}
