package dev.homelab.core.mqtt;

import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A loopback TCP proxy to the shared broker that a test can cut and restore, standing in for a
 * broker restart or a network cut without touching the system Mosquitto. While cut it closes the
 * open connections and every new one as soon as it is accepted, as a restarting broker would.
 */
final class TcpCutProxy implements AutoCloseable {

  private final NetServer server;
  private final NetClient client;
  private final Set<NetSocket> open = ConcurrentHashMap.newKeySet();
  private volatile boolean cut;

  TcpCutProxy(Vertx vertx, String targetHost, int targetPort) {
    client = vertx.createNetClient();
    server =
        vertx
            .createNetServer()
            .connectHandler(
                inbound -> {
                  if (cut) {
                    inbound.close();
                    return;
                  }
                  inbound.pause();
                  client
                      .connect(targetPort, targetHost)
                      .onFailure(e -> inbound.close())
                      .onSuccess(
                          outbound -> {
                            open.add(inbound);
                            open.add(outbound);
                            pipe(inbound, outbound);
                            pipe(outbound, inbound);
                            inbound.resume();
                          });
                });
    server.listen(0, "127.0.0.1").await();
  }

  private void pipe(NetSocket from, NetSocket to) {
    from.handler(to::write);
    from.closeHandler(
        v -> {
          open.remove(from);
          to.close();
        });
  }

  int port() {
    return server.actualPort();
  }

  /** Drops every connection through the proxy and refuses new ones until {@link #restore()}. */
  void cut() {
    cut = true;
    open.forEach(NetSocket::close);
  }

  /** Lets connections through again. */
  void restore() {
    cut = false;
  }

  @Override
  public void close() {
    cut();
    server.close().await();
    client.close().await();
  }
}
