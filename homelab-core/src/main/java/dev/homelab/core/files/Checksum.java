package dev.homelab.core.files;

import dev.homelab.core.ErrorKind;
import dev.homelab.core.HomelabException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A client's checksum of one chunk of a resumable upload (tus {@code Upload-Checksum}): it only
 * protects that chunk on the wire, and never names or opens a blob.
 *
 * @param algorithm the tus name of the algorithm: {@code sha1}, {@code sha256} or {@code md5}
 * @param expected the digest the client computed
 */
public record Checksum(String algorithm, byte[] expected) {

  /** The algorithms supported, by their tus names. */
  public static final List<String> ALGORITHMS = List.of("sha1", "sha256", "md5");

  /** The error code of an algorithm this server does not support. */
  public static final String UNSUPPORTED = "CHECKSUM_ALGORITHM_UNSUPPORTED";

  private static final Map<String, String> JAVA_NAMES =
      Map.of("sha1", "SHA-1", "sha256", "SHA-256", "md5", "MD5");

  /**
   * @param header the {@code Upload-Checksum} header: an algorithm, a space, the base64 digest
   * @return the checksum
   * @throws HomelabException ({@code BAD_REQUEST}, {@value #UNSUPPORTED}) for an unknown algorithm
   *     or a value that is not base64
   */
  public static Checksum parse(String header) {
    String[] parts = header.strip().split(" ", 2);
    String algorithm = parts[0].toLowerCase(Locale.ROOT);
    if (!JAVA_NAMES.containsKey(algorithm)) {
      throw new HomelabException(
          ErrorKind.INVALID,
          UNSUPPORTED,
          "Upload-Checksum algorithm must be one of " + String.join(", ", ALGORITHMS));
    }
    try {
      if (parts.length < 2) {
        throw new IllegalArgumentException("no value");
      }
      return new Checksum(algorithm, Base64.getDecoder().decode(parts[1].strip()));
    } catch (IllegalArgumentException e) {
      throw new HomelabException(
          ErrorKind.INVALID,
          "CHECKSUM_MALFORMED",
          "Upload-Checksum must be an algorithm, a space and a base64 digest");
    }
  }

  /**
   * @return a new digest of this checksum's algorithm
   */
  public MessageDigest newDigest() {
    try {
      return MessageDigest.getInstance(JAVA_NAMES.get(algorithm));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java has " + algorithm, e);
    }
  }

  /**
   * @param digest a digest fed with the chunk
   * @return whether the chunk matches
   */
  public boolean matches(MessageDigest digest) {
    return MessageDigest.isEqual(expected, digest.digest());
  }
}
