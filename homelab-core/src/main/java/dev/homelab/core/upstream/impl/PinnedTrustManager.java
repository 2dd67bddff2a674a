package dev.homelab.core.upstream.impl;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import javax.net.ssl.X509TrustManager;

/**
 * Trusts exactly one server certificate, the one whose SHA-256 fingerprint (over its DER encoding,
 * as Proxmox's {@code ssl_fingerprint} and {@code openssl x509 -fingerprint -sha256} compute it) is
 * pinned. Issuer, validity dates and names do not matter: the pin is the whole trust decision, as
 * it is for SSH host keys.
 */
public final class PinnedTrustManager implements X509TrustManager {

  private final byte[] pinned;

  /**
   * @param pinned the SHA-256 fingerprint of the one certificate to trust
   */
  public PinnedTrustManager(byte[] pinned) {
    this.pinned = pinned.clone();
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    if (chain == null || chain.length == 0) {
      throw new CertificateException("no certificate");
    }
    if (!MessageDigest.isEqual(pinned, sha256(chain[0]))) {
      throw new CertificateException("the certificate is not the pinned one");
    }
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    throw new CertificateException("a client certificate is never trusted here");
  }

  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return new X509Certificate[0];
  }

  static byte[] sha256(X509Certificate certificate) throws CertificateEncodingException {
    try {
      return MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
