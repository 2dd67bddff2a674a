package dev.homelab.server.http.impl;

import dev.homelab.server.auth.ClientIp;
import dev.homelab.server.http.impl.FramingGuard.Refusal;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.net.impl.ConnectionBase;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP server's connection handler: puts a {@link FramingGuard} on every HTTP/1.x connection
 * and caps the connections one client address may hold open.
 *
 * <p>Connections from {@code TRUSTED_PROXIES} are not capped: a reverse proxy carries many clients.
 * A connection over the cap is answered 429 {@code TOO_MANY_CONNECTIONS} at once, before anything
 * is read, and closed. IPv6 clients are counted per /64, the block one host usually gets, so that a
 * host cannot escape the cap by cycling through its addresses. The count is dropped when the
 * address's last connection closes.
 *
 * <p>This is the only class that reaches below Vert.x's public API (into the connection's Netty
 * pipeline): the framing checks must see each request before Vert.x does.
 */
public final class ConnectionGuard implements Handler<HttpConnection> {

  private static final Logger log = LoggerFactory.getLogger(ConnectionGuard.class);

  private final HttpServerOptions options;
  private final long headTimeoutMillis;
  private final int maxPerClient;
  private final ClientIp clientIp;
  private final Map<String, Integer> open = new ConcurrentHashMap<>();

  /**
   * @param options the options the server listens with (the decoder's limits)
   * @param headTimeout how long a request head may take from its first byte
   * @param maxPerClient the most connections one address may hold open; 0 for no cap
   * @param clientIp which peers are trusted proxies, exempt from the cap
   */
  public ConnectionGuard(
      HttpServerOptions options, Duration headTimeout, int maxPerClient, ClientIp clientIp) {
    this.options = new HttpServerOptions(options);
    this.headTimeoutMillis = headTimeout.toMillis();
    this.maxPerClient = maxPerClient;
    this.clientIp = clientIp;
  }

  @Override
  public void handle(HttpConnection connection) {
    if (!(connection instanceof ConnectionBase base)) {
      return;
    }
    Channel channel = base.channel();
    registerMissedMetric(base);
    Refusal refusal = count(connection.remoteAddress(), channel);
    boolean installed =
        FramingGuard.install(channel.pipeline(), options, headTimeoutMillis, refusal);
    if (!installed) {
      // An HTTP/2 connection, or a Vert.x whose pipeline changed shape: refuse to serve unguarded.
      log.warn("Closing a connection whose pipeline cannot be guarded: {}", channel.pipeline());
      channel.close();
    }
  }

  /**
   * Works around a race in Vert.x 5.0.8's {@code NetServerImpl}: it starts accepting before it sets
   * its metrics, so a connection accepted in that instant (a health probe polling a starting
   * server) gets no socket metric, while its requests, begun a moment later, are reported to the
   * metrics by then set. vertx-micrometer then fails with a NullPointerException in {@code
   * requestBegin} and the request is never answered until the idle timeout. Registering the
   * connection here, as Vert.x would have, closes the gap.
   */
  @SuppressWarnings({"rawtypes", "unchecked"})
  private static void registerMissedMetric(ConnectionBase base) {
    if (base.metric() == null
        && base.metrics() instanceof io.vertx.core.spi.metrics.TCPMetrics metrics) {
      base.metric(metrics.connected(base.remoteAddress(), base.remoteName()));
    }
  }

  /** Counts the connection against its address; returns the refusal when it is over the cap. */
  private Refusal count(SocketAddress remote, Channel channel) {
    if (maxPerClient <= 0 || remote == null || remote.hostAddress() == null) {
      return null;
    }
    if (clientIp.isTrustedProxy(remote.hostAddress())) {
      return null;
    }
    String address = capKey(remote.hostAddress());
    if (open.merge(address, 1, Integer::sum) > maxPerClient) {
      release(address);
      return new Refusal(
          HttpResponseStatus.TOO_MANY_REQUESTS,
          "TOO_MANY_CONNECTIONS",
          "this client has too many connections open; reuse or close some",
          Map.of("Retry-After", "1"));
    }
    channel.closeFuture().addListener(closed -> release(address));
    return null;
  }

  /** The address an IPv4 client is counted under, or the /64 of an IPv6 one. */
  static String capKey(String hostAddress) {
    if (hostAddress.indexOf(':') < 0) {
      return hostAddress;
    }
    try {
      byte[] bytes = InetAddress.getByName(hostAddress).getAddress(); // a literal: no DNS
      if (bytes.length != 16) {
        return hostAddress;
      }
      return HexFormat.of().formatHex(bytes, 0, 8) + "::/64";
    } catch (UnknownHostException e) {
      return hostAddress;
    }
  }

  private void release(String address) {
    open.computeIfPresent(address, (a, n) -> n <= 1 ? null : n - 1);
  }
}
