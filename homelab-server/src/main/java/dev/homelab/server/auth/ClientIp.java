package dev.homelab.server.auth;

import io.vertx.ext.web.RoutingContext;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The client address of a request, for rate limits and the audit log. {@code X-Forwarded-For} is
 * believed only when the connection comes from a trusted proxy; then the rightmost address that is
 * not itself a trusted proxy is the client (entries further left are whatever the client wrote).
 */
public final class ClientIp {

  private static final String KEY = "homelab.client-ip";
  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

  private final List<Cidr> trusted;

  private ClientIp(List<Cidr> trusted) {
    this.trusted = trusted;
  }

  /**
   * @param trustedProxies IP addresses or CIDR blocks, for example {@code 10.0.0.0/8}
   * @return the resolver
   * @throws IllegalArgumentException naming the first entry that is not an address or block
   */
  public static ClientIp trusting(List<String> trustedProxies) {
    List<Cidr> blocks = new ArrayList<>();
    for (String entry : trustedProxies) {
      blocks.add(Cidr.parse(entry.strip()));
    }
    return new ClientIp(List.copyOf(blocks));
  }

  /**
   * @param ctx a request
   * @return the client's address, as text
   */
  public String of(RoutingContext ctx) {
    String cached = ctx.get(KEY);
    if (cached != null) {
      return cached;
    }
    String ip = resolve(ctx);
    ctx.put(KEY, ip);
    return ip;
  }

  private String resolve(RoutingContext ctx) {
    String peer =
        ctx.request().remoteAddress() == null
            ? "unknown"
            : ctx.request().remoteAddress().hostAddress();
    String forwarded = ctx.request().getHeader("X-Forwarded-For");
    if (forwarded == null || !isTrusted(peer)) {
      return peer;
    }
    String[] hops = forwarded.split(",");
    for (int i = hops.length - 1; i >= 0; i--) {
      InetAddress hop = literal(hops[i].strip());
      if (hop == null) {
        return peer; // garbage in the chain: trust nothing in it
      }
      if (!isTrusted(hop)) {
        return hop.getHostAddress();
      }
    }
    return peer;
  }

  /**
   * @param address a peer's IP address, as text
   * @return whether it is one of the trusted proxies
   */
  public boolean isTrustedProxy(String address) {
    return isTrusted(address);
  }

  private boolean isTrusted(String address) {
    InetAddress parsed = literal(address);
    return parsed != null && isTrusted(parsed);
  }

  private boolean isTrusted(InetAddress address) {
    for (Cidr block : trusted) {
      if (block.contains(address)) {
        return true;
      }
    }
    return false;
  }

  /** Parses an IP literal without ever asking DNS; {@code null} if it is not one. */
  static InetAddress literal(String text) {
    if (text.isEmpty() || text.length() > 45) {
      return null;
    }
    boolean v4 = IPV4.matcher(text).matches();
    boolean v6 = text.indexOf(':') >= 0 && text.matches("[0-9A-Fa-f:.]+");
    if (!v4 && !v6) {
      return null;
    }
    try {
      return InetAddress.getByName(text);
    } catch (UnknownHostException e) {
      return null;
    }
  }

  /** An address block. */
  record Cidr(byte[] network, int prefix) {

    static Cidr parse(String text) {
      int slash = text.indexOf('/');
      InetAddress address = literal(slash < 0 ? text : text.substring(0, slash));
      if (address == null) {
        throw new IllegalArgumentException(text + " is not an IP address or CIDR block");
      }
      int bits = address.getAddress().length * 8;
      int prefix;
      try {
        prefix = slash < 0 ? bits : Integer.parseInt(text.substring(slash + 1));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(text + " has an invalid prefix length", e);
      }
      if (prefix < 0 || prefix > bits) {
        throw new IllegalArgumentException(text + " has an invalid prefix length");
      }
      return new Cidr(address.getAddress(), prefix);
    }

    boolean contains(InetAddress address) {
      byte[] candidate = address.getAddress();
      if (candidate.length != network.length) {
        return false;
      }
      int full = prefix / 8;
      for (int i = 0; i < full; i++) {
        if (candidate[i] != network[i]) {
          return false;
        }
      }
      int rest = prefix % 8;
      if (rest == 0) {
        return true;
      }
      int mask = 0xFF << (8 - rest) & 0xFF;
      return (candidate[full] & mask) == (network[full] & mask);
    }
  }
}
