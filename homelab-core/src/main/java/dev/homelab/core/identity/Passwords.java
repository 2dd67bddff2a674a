package dev.homelab.core.identity;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * Password hashing with PBKDF2-HMAC-SHA256 (the JDK's implementation), {@value #ITERATIONS}
 * iterations and a 16-byte random salt, as OWASP recommends for PBKDF2-SHA256.
 *
 * <p>A hash takes a few hundred milliseconds of CPU by design, so it runs on a small worker pool of
 * its own, never on the event loop nor on the shared workers that database calls need. Encoded
 * form: {@code pbkdf2-sha256$<iterations>$<salt b64>$<hash b64>}; verification reads the iterations
 * from the hash, so raising {@link #ITERATIONS} later keeps old hashes valid.
 */
public final class Passwords {

  /** The PBKDF2 iteration count of new hashes. */
  public static final int ITERATIONS = 600_000;

  private static final String SCHEME = "pbkdf2-sha256";
  private static final int SALT_BYTES = 16;
  private static final int HASH_BITS = 256;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final WorkerExecutor workers;
  private final String decoy;

  private Passwords(WorkerExecutor workers, String decoy) {
    this.workers = workers;
    this.decoy = decoy;
  }

  /**
   * Creates the hasher with a worker pool of {@code max(2, cores)} threads, and its decoy: what an
   * unknown user's password is checked against, so that the answer takes as long as for a known
   * one.
   *
   * @param vertx the Vert.x instance
   * @return the hasher, at once
   */
  public static Future<Passwords> create(Vertx vertx) {
    int threads = Math.max(2, Runtime.getRuntime().availableProcessors());
    WorkerExecutor workers =
        vertx.createSharedWorkerExecutor("homelab-password-hash", threads, 30_000_000_000L);
    return Future.succeededFuture(new Passwords(workers, decoy()));
  }

  /**
   * A stored hash in every way but its last part: the scheme, {@link #ITERATIONS}, a random salt
   * and random hash bytes of a real hash's lengths. Checking a password against it costs exactly
   * what checking against a real hash costs (the same PBKDF2, then a constant-time comparison), and
   * no password matches it. Random bytes instead of the hash of a random password: that hash was
   * 1.5 s of CPU at every start, competing with the start itself on a small machine, for bytes
   * nobody could tell from random ones.
   */
  static String decoy() {
    byte[] salt = new byte[SALT_BYTES];
    byte[] hash = new byte[HASH_BITS / 8];
    RANDOM.nextBytes(salt);
    RANDOM.nextBytes(hash);
    return format(salt, hash);
  }

  /**
   * @param password a password
   * @return its encoded hash, computed on the hashing pool
   */
  public Future<String> hash(String password) {
    return workers.executeBlocking(() -> encode(password), false);
  }

  /**
   * Checks a password against an encoded hash in constant time. With a {@code null} hash (an
   * unknown user, or one without a password) it checks against a decoy and answers {@code false},
   * spending the same time as a real check.
   *
   * @param password the password given
   * @param encoded the stored hash, or {@code null}
   * @return whether they match
   */
  public Future<Boolean> verify(String password, String encoded) {
    if (encoded == null) {
      return workers.executeBlocking(() -> matches(password, decoy) && false, false);
    }
    return workers.executeBlocking(() -> matches(password, encoded), false);
  }

  /**
   * @return closes the hashing pool
   */
  public Future<Void> close() {
    return workers.close();
  }

  static String encode(String password) throws GeneralSecurityException {
    byte[] salt = new byte[SALT_BYTES];
    RANDOM.nextBytes(salt);
    return format(salt, pbkdf2(password, salt, ITERATIONS));
  }

  private static String format(byte[] salt, byte[] hash) {
    Base64.Encoder b64 = Base64.getEncoder().withoutPadding();
    return SCHEME
        + "$"
        + ITERATIONS
        + "$"
        + b64.encodeToString(salt)
        + "$"
        + b64.encodeToString(hash);
  }

  static boolean matches(String password, String encoded) throws GeneralSecurityException {
    String[] parts = encoded.split("\\$");
    if (parts.length != 4 || !SCHEME.equals(parts[0])) {
      return false;
    }
    int iterations;
    try {
      iterations = Integer.parseInt(parts[1]);
    } catch (NumberFormatException e) {
      return false;
    }
    byte[] salt = Base64.getDecoder().decode(parts[2]);
    byte[] expected = Base64.getDecoder().decode(parts[3]);
    return MessageDigest.isEqual(pbkdf2(password, salt, iterations), expected);
  }

  private static byte[] pbkdf2(String password, byte[] salt, int iterations)
      throws GeneralSecurityException {
    PBEKeySpec spec = new PBEKeySpec(password.toCharArray(), salt, iterations, HASH_BITS);
    try {
      return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
    } finally {
      spec.clearPassword();
    }
  }

  /**
   * Compares two secrets in time independent of where they differ and of their lengths, by
   * comparing their SHA-256 digests.
   *
   * @param given the secret presented
   * @param expected the secret expected
   * @return whether they are equal
   */
  public static boolean constantTimeEquals(String given, String expected) {
    return MessageDigest.isEqual(sha256(given), sha256(expected));
  }

  /**
   * @param text some text
   * @return its SHA-256 digest of the UTF-8 bytes
   */
  static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
