package dev.homelab.core.upstream;

import dev.homelab.core.ValidationException;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * How the certificate of an HTTPS upstream is trusted. Proxmox signs its certificates with a
 * per-cluster CA that no system trusts, so there are four ways:
 *
 * <ul>
 *   <li>{@link #system()}: the JVM's trusted CAs and host-name verification (a public or ACME
 *       certificate);
 *   <li>{@link #caFile(Path)}: the CAs of a PEM file, such as Proxmox's {@code
 *       /etc/pve/pve-root-ca.pem}, with host-name verification;
 *   <li>{@link #pinned(String)}: exactly the certificate whose SHA-256 fingerprint is given
 *       (Proxmox publishes it as {@code ssl_fingerprint} in its node index), whatever its issuer
 *       and names;
 *   <li>{@link #anyCertificate()}: any certificate. An explicit opt-in, logged as a warning when
 *       the client starts.
 * </ul>
 *
 * @param caFile the PEM file of trusted CAs, or {@code null}
 * @param pinnedSha256 the pinned fingerprint as 32 lower-case hex bytes separated by colons, or
 *     {@code null}
 * @param insecure whether any certificate is accepted
 */
public record UpstreamTls(Path caFile, String pinnedSha256, boolean insecure) {

  private static final Pattern FINGERPRINT =
      Pattern.compile("(?i)[0-9a-f]{2}(:[0-9a-f]{2}){31}|[0-9a-f]{64}");

  /** Checks that at most one way is chosen and normalises the fingerprint. */
  public UpstreamTls {
    int ways = (caFile != null ? 1 : 0) + (pinnedSha256 != null ? 1 : 0) + (insecure ? 1 : 0);
    if (ways > 1) {
      throw new ValidationException(
          "tls", "choose one of a CA file, a pinned fingerprint or insecure, not several");
    }
    if (pinnedSha256 != null) {
      String trimmed = pinnedSha256.strip();
      if (!FINGERPRINT.matcher(trimmed).matches()) {
        throw new ValidationException(
            "tls.fingerprint", "a SHA-256 fingerprint is 32 hex bytes, separated by colons or not");
      }
      String hex = trimmed.replace(":", "").toLowerCase(Locale.ROOT);
      StringBuilder colons = new StringBuilder();
      for (int i = 0; i < hex.length(); i += 2) {
        if (i > 0) {
          colons.append(':');
        }
        colons.append(hex, i, i + 2);
      }
      pinnedSha256 = colons.toString();
    }
  }

  /**
   * @return trust as the JVM does
   */
  public static UpstreamTls system() {
    return new UpstreamTls(null, null, false);
  }

  /**
   * @param pem a PEM file of the CAs to trust
   * @return trust in those CAs only
   */
  public static UpstreamTls caFile(Path pem) {
    return new UpstreamTls(Objects.requireNonNull(pem, "pem"), null, false);
  }

  /**
   * @param sha256 the certificate's SHA-256 fingerprint, hex, with or without colons
   * @return trust in that one certificate
   */
  public static UpstreamTls pinned(String sha256) {
    return new UpstreamTls(null, Objects.requireNonNull(sha256, "sha256"), false);
  }

  /**
   * @return trust in any certificate (logged when used)
   */
  public static UpstreamTls anyCertificate() {
    return new UpstreamTls(null, null, true);
  }

  /**
   * @return the pinned fingerprint as bytes, or {@code null} when none is pinned
   */
  public byte[] pinnedBytes() {
    return pinnedSha256 == null ? null : HexFormat.ofDelimiter(":").parseHex(pinnedSha256);
  }
}
