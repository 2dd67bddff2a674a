package dev.homelab.core.upstream.proxmox.impl;

import dev.homelab.core.ValidationException;
import dev.homelab.core.upstream.UpstreamException;
import dev.homelab.core.upstream.UpstreamStatus;
import dev.homelab.core.upstream.UpstreamTls;
import dev.homelab.core.upstream.impl.UpstreamHttp;
import dev.homelab.core.upstream.impl.UpstreamHttp.Answer;
import dev.homelab.core.upstream.impl.UpstreamHttp.Attempts;
import dev.homelab.core.upstream.proxmox.GuestType;
import dev.homelab.core.upstream.proxmox.ProxmoxServerOptions;
import dev.homelab.core.upstream.proxmox.impl.ProxmoxJson.NodeEntry;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One Proxmox server: its {@link UpstreamHttp} (timeout, breaker, retries), its token header, its
 * node (configured, or discovered once from {@code /nodes}) and which guest ids are virtual
 * machines and which containers (Proxmox paths need the type; remembered from each guest index, so
 * that a lookup costs one request).
 */
final class ProxmoxConnection implements AutoCloseable {

  private final ProxmoxServerOptions options;
  private final UpstreamHttp http;
  private final MultiMap headers;
  private final Map<Long, GuestType> types = new ConcurrentHashMap<>();
  private volatile String node;

  ProxmoxConnection(Vertx vertx, ProxmoxServerOptions options) {
    this.options = options;
    this.node = options.node();
    this.http =
        new UpstreamHttp(
            vertx,
            UpstreamHttp.Settings.of(
                "proxmox " + options.id(),
                URI.create(options.baseUrl() + "/api2/json"),
                options.timeout(),
                options.tls()),
            ProxmoxJson::error);
    // The secret lives only in this header, which is never logged.
    this.headers =
        MultiMap.caseInsensitiveMultiMap()
            .add("Authorization", "PVEAPIToken=" + options.tokenId() + "=" + options.tokenSecret())
            .add("Accept", "application/json");
  }

  ProxmoxServerOptions options() {
    return options;
  }

  String name() {
    return http.name();
  }

  /** The node if it is configured or was discovered, else {@code null}. */
  String knownNode() {
    return node;
  }

  Future<Answer> get(String path, Map<String, String> query, Attempts attempts) {
    return http.send(HttpMethod.GET, path, query, headers, null, attempts);
  }

  /** A power action: sent once, whatever happens. */
  Future<Answer> post(String path) {
    return http.send(HttpMethod.POST, path, null, headers, null, Attempts.ONCE);
  }

  Future<UpstreamStatus> probe() {
    return http.probe("/version", headers);
  }

  /**
   * The node to address: the configured one, or the one discovered from {@code /nodes} (the only
   * node, or the one whose certificate is the pinned one), remembered once found.
   */
  Future<String> node(Attempts attempts) {
    String known = node;
    if (known != null) {
      return Future.succeededFuture(known);
    }
    return get("/nodes", null, attempts)
        .map(
            answer -> {
              List<NodeEntry> nodes =
                  ProxmoxJson.nodes(ProxmoxJson.dataArray(name(), answer.json()));
              String chosen = choose(nodes);
              node = chosen;
              return chosen;
            });
  }

  private String choose(List<NodeEntry> nodes) {
    String pinned = options.tls().pinnedSha256();
    if (pinned != null) {
      for (NodeEntry entry : nodes) {
        if (entry.sslFingerprint() != null
            && pinned.equals(normalise(entry.sslFingerprint()))
            && ProxmoxServerOptions.NODE.matcher(entry.node()).matches()) {
          return entry.node();
        }
      }
    }
    if (nodes.size() == 1 && ProxmoxServerOptions.NODE.matcher(nodes.get(0).node()).matches()) {
      return nodes.get(0).node();
    }
    if (nodes.isEmpty()) {
      throw UpstreamException.unavailable(name(), "malformed answer (no nodes)");
    }
    throw new ValidationException(
        "node",
        "proxmox "
            + options.id()
            + " is a cluster of "
            + nodes.size()
            + " nodes: configure which one to address");
  }

  private static String normalise(String fingerprint) {
    try {
      return UpstreamTls.pinned(fingerprint).pinnedSha256();
    } catch (ValidationException e) {
      return fingerprint.toLowerCase(Locale.ROOT);
    }
  }

  /** The type of a guest, if a guest index showed it. */
  GuestType knownType(long vmid) {
    return types.get(vmid);
  }

  /** Remembers the types of a whole index of both kinds, forgetting guests that are gone. */
  void rememberTypes(Map<Long, GuestType> seen) {
    types.keySet().retainAll(seen.keySet());
    types.putAll(seen);
  }

  /** Forgets a guest's type, after Proxmox said it has no such guest of that type. */
  void forgetType(long vmid) {
    types.remove(vmid);
  }

  @Override
  public void close() {
    http.close();
  }
}
