package dev.homelab.core.identity;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The format of API keys and device tokens: {@code hlk_<id>_<secret>} and {@code hld_<secret>}. The
 * id lets the server find the key with one indexed read; only the SHA-256 of the secret part is
 * stored. Secrets are 32 random bytes, so a fast hash is as strong as a slow one here.
 */
public final class ApiKeySecrets {

  /** The prefix of every API key, recognisable in logs and by secret scanners. */
  public static final String KEY_PREFIX = "hlk_";

  /** The prefix of every device token. */
  public static final String DEVICE_TOKEN_PREFIX = "hld_";

  private static final Pattern KEY = Pattern.compile("hlk_([0-9a-f]{16})_([A-Za-z0-9_-]{43})");
  private static final SecureRandom RANDOM = new SecureRandom();

  private ApiKeySecrets() {}

  /** A parsed key: its id and its secret part. */
  public record Parsed(String id, String secret) {
    @Override
    public String toString() {
      return "Parsed{id=" + id + "}";
    }
  }

  /**
   * @return a new random key id
   */
  public static String newId() {
    byte[] id = new byte[8];
    RANDOM.nextBytes(id);
    return HexFormat.of().formatHex(id);
  }

  /**
   * @return a new random secret
   */
  public static String newSecret() {
    byte[] secret = new byte[32];
    RANDOM.nextBytes(secret);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
  }

  /**
   * @param id the key id
   * @param secret the secret
   * @return the key as shown to its owner
   */
  public static String format(String id, String secret) {
    return KEY_PREFIX + id + "_" + secret;
  }

  /**
   * @param key a presented credential
   * @return its parts, or {@code null} if it is not an API key
   */
  public static Parsed parse(String key) {
    Matcher matcher = KEY.matcher(key);
    return matcher.matches() ? new Parsed(matcher.group(1), matcher.group(2)) : null;
  }

  /**
   * @param secret a secret part or a whole device token
   * @return its SHA-256, hex encoded, as stored
   */
  public static String hash(String secret) {
    return HexFormat.of().formatHex(Passwords.sha256(secret));
  }
}
