package dev.homelab.core.upstream.proxmox;

import dev.homelab.core.ValidationException;
import dev.homelab.core.upstream.UpstreamTls;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * How one Proxmox VE server is reached. Seed 003's {@code PROXMOX_NAS_*} and {@code
 * PROXMOX_SMART_*} become one of these each, with any number more.
 *
 * <p>Every value is checked when the options are made, and a bad one is a {@link
 * ValidationException} naming its field. The token secret never appears in {@link #toString()}, a
 * log line or an error message.
 *
 * @param id the server's id in Homelab's API and metrics: lower-case letters, digits and {@code -},
 *     such as {@code nas} or {@code smart-home}
 * @param name its display name, such as {@code NAS Server}
 * @param baseUrl where pveproxy listens, such as {@code https://10.0.10.10:8006}: https, a host, an
 *     optional port, no path
 * @param node the Proxmox node to address, or {@code null} to discover it from {@code /nodes} (the
 *     only node, or the one whose certificate is pinned)
 * @param tokenId the API token id, {@code USER@REALM!TOKENID}, such as {@code root@pam!homelab}
 * @param tokenSecret the token's secret (a UUID)
 * @param tls how the server's certificate is trusted; Proxmox's own certificates need {@link
 *     UpstreamTls#pinned(String)} or {@link UpstreamTls#caFile}
 * @param timeout how long one answer may take, 10 s by default
 */
public record ProxmoxServerOptions(
    String id,
    String name,
    URI baseUrl,
    String node,
    String tokenId,
    String tokenSecret,
    UpstreamTls tls,
    Duration timeout) {

  /** The time an answer may take unless set. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

  /** A server id: what the API and metric names can carry unescaped. */
  public static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

  /** A Proxmox node name, as pve-common's {@code pve-node} format allows. */
  public static final Pattern NODE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9.-]{0,62}");

  private static final Pattern TOKEN_ID =
      Pattern.compile("[^\\s:/@!=]+@[A-Za-z0-9._-]+![A-Za-z][A-Za-z0-9._-]*");
  private static final Pattern SECRET = Pattern.compile("[^\\s;=]{1,256}");

  /** Checks every value. */
  public ProxmoxServerOptions {
    if (id == null || !ID.matcher(id).matches()) {
      throw new ValidationException(
          "id", "lower-case letters, digits and '-', starting with a letter or digit, at most 63");
    }
    if (name == null || name.isBlank() || name.length() > 100) {
      throw new ValidationException("name", "a display name of 1 to 100 characters");
    }
    name = name.strip();
    baseUrl = checkBaseUrl(baseUrl);
    if (node != null && !NODE.matcher(node).matches()) {
      throw new ValidationException(
          "node", "letters, digits, '.' and '-', starting with a letter or digit");
    }
    if (tokenId == null || !TOKEN_ID.matcher(tokenId).matches()) {
      throw new ValidationException("token_id", "an API token id, USER@REALM!TOKENID");
    }
    if (tokenSecret == null || !SECRET.matcher(tokenSecret).matches()) {
      // The message must not echo the value: it is a secret.
      throw new ValidationException(
          "token_secret", "the token's secret, without spaces, ';' or '='");
    }
    tls = tls == null ? UpstreamTls.system() : tls;
    timeout = timeout == null ? DEFAULT_TIMEOUT : timeout;
    if (timeout.isNegative() || timeout.isZero() || timeout.compareTo(Duration.ofMinutes(5)) > 0) {
      throw new ValidationException("timeout", "more than 0 and at most 5 minutes");
    }
  }

  private static URI checkBaseUrl(URI url) {
    if (url == null
        || !"https".equals(url.getScheme())
        || url.getHost() == null
        || url.getRawUserInfo() != null
        || url.getRawQuery() != null
        || url.getRawFragment() != null
        || url.getRawPath() != null
            && !url.getRawPath().isEmpty()
            && !url.getRawPath().equals("/")) {
      // An API token travels in every request: plain http would show it to the network.
      throw new ValidationException(
          "base_url", "https://host or https://host:port, such as https://10.0.10.10:8006");
    }
    return URI.create("https://" + url.getRawAuthority().toLowerCase(Locale.ROOT));
  }

  /**
   * Options with the defaults: the node discovered, the system's trust, a 10 s timeout.
   *
   * @param id the server's id
   * @param name its display name
   * @param baseUrl where pveproxy listens, such as {@code https://10.0.10.10:8006}
   * @param tokenId the API token id
   * @param tokenSecret the token's secret
   * @return the options
   * @throws ValidationException naming the first bad field
   */
  public static ProxmoxServerOptions of(
      String id, String name, String baseUrl, String tokenId, String tokenSecret) {
    URI url;
    try {
      url = baseUrl == null ? null : new URI(baseUrl.strip());
    } catch (URISyntaxException e) {
      url = null;
    }
    if (url == null) {
      throw new ValidationException("base_url", "not a URL, such as https://10.0.10.10:8006");
    }
    return new ProxmoxServerOptions(id, name, url, null, tokenId, tokenSecret, null, null);
  }

  /**
   * @param node the node to address
   * @return these options with a fixed node
   */
  public ProxmoxServerOptions withNode(String node) {
    return new ProxmoxServerOptions(id, name, baseUrl, node, tokenId, tokenSecret, tls, timeout);
  }

  /**
   * @param tls how the certificate is trusted
   * @return these options with that trust
   */
  public ProxmoxServerOptions withTls(UpstreamTls tls) {
    return new ProxmoxServerOptions(id, name, baseUrl, node, tokenId, tokenSecret, tls, timeout);
  }

  /**
   * @param timeout how long one answer may take
   * @return these options with that timeout
   */
  public ProxmoxServerOptions withTimeout(Duration timeout) {
    return new ProxmoxServerOptions(id, name, baseUrl, node, tokenId, tokenSecret, tls, timeout);
  }

  /**
   * @return the host of the base URL (seed 003's {@code ip})
   */
  public String host() {
    return baseUrl.getHost();
  }

  /** Everything but the secret. */
  @Override
  public String toString() {
    return "ProxmoxServerOptions[id="
        + id
        + ", name="
        + name
        + ", baseUrl="
        + baseUrl
        + ", node="
        + node
        + ", tokenId="
        + tokenId
        + ", tokenSecret=[hidden], tls="
        + tls
        + ", timeout="
        + timeout
        + "]";
  }
}
