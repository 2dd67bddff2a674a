package dev.homelab.server.auth;

import dev.homelab.core.identity.ApiKeySecrets;
import dev.homelab.core.identity.Passwords;
import dev.homelab.core.identity.Role;
import dev.homelab.core.identity.User;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Session tokens: JWTs signed with HS256, the one algorithm registered with vertx-auth-jwt.
 *
 * <p>On top of the library's signature check, a token is refused when its header has anything but
 * {@code alg} and {@code typ} (no {@code kid}, {@code jku}, {@code jwk}, {@code x5u}: nothing in a
 * token chooses the key), when it lacks {@code exp}, {@code jti} or {@code sub}, when it expired,
 * is not valid yet or was issued in the future (no leeway), or when its issuer or audience is not
 * ours. Those times are judged against the clock given, never the system clock.
 */
public final class SessionTokens {

  /** The issuer of every token. */
  public static final String ISSUER = "homelab";

  /** The audience of every token. */
  public static final String AUDIENCE = "homelab-api";

  /** The one signing algorithm. */
  public static final String ALGORITHM = "HS256";

  /** The longest token looked at; anything longer is refused unparsed. */
  static final int MAX_TOKEN_LENGTH = 4096;

  private static final Set<String> HEADER_FIELDS = Set.of("alg", "typ");

  private final JWTAuth jwt;
  private final long lifetimeSeconds;
  private final Clock clock;

  /**
   * @param vertx the Vert.x instance
   * @param secret the HMAC key, at least 32 bytes
   * @param lifetimeSeconds how long a token is valid
   * @param clock the clock for issue and expiry times
   */
  public SessionTokens(Vertx vertx, String secret, long lifetimeSeconds, Clock clock) {
    if (secret.getBytes(StandardCharsets.UTF_8).length < 32) {
      throw new IllegalArgumentException("the JWT secret must be at least 32 bytes");
    }
    this.jwt =
        JWTAuth.create(
            vertx,
            new JWTAuthOptions()
                .addPubSecKey(new PubSecKeyOptions().setAlgorithm(ALGORITHM).setBuffer(secret))
                .setJWTOptions(
                    new JWTOptions()
                        .setAlgorithm(ALGORITHM)
                        .setIssuer(ISSUER)
                        .setAudience(List.of(AUDIENCE))
                        .setLeeway(0)
                        // The library would judge exp, iat and nbf by the system clock; verify()
                        // judges them by this one's clock, so that every part of the server
                        // agrees on what "now" is (reliability row F19).
                        .setIgnoreExpiration(true)));
    this.lifetimeSeconds = lifetimeSeconds;
    this.clock = clock;
  }

  /** A token just issued. */
  public record Issued(String token, String id, Instant expiresAt, long expiresInSeconds) {
    @Override
    public String toString() {
      return "Issued{id=" + id + ", expiresAt=" + expiresAt + "}";
    }
  }

  /** The facts of a verified token. */
  public record Verified(String id, String userId, Role role, Instant expiresAt) {}

  /**
   * @param user the user logging in
   * @return a new token for them
   */
  public Issued issue(User user) {
    long now = clock.instant().getEpochSecond();
    long exp = now + lifetimeSeconds;
    String id = UUID.randomUUID().toString();
    JsonObject claims =
        new JsonObject()
            .put("sub", user.id())
            .put("role", user.role().label())
            .put("jti", id)
            .put("iat", now)
            .put("exp", exp);
    String token =
        jwt.generateToken(
            claims,
            new JWTOptions()
                .setAlgorithm(ALGORITHM)
                .setIssuer(ISSUER)
                .setAudience(List.of(AUDIENCE))
                .setNoTimestamp(true));
    return new Issued(token, id, Instant.ofEpochSecond(exp), lifetimeSeconds);
  }

  /**
   * Issues and verifies a throw-away token, so that the classes and providers involved are loaded.
   * Call it once from a worker thread before serving.
   */
  public void warmUp() {
    Instant now = clock.instant();
    issue(new User("warm-up", "warm-up", Role.VIEWER, null, false, false, now, now));
    Passwords.constantTimeEquals("warm", "up");
    ApiKeySecrets.hash(ApiKeySecrets.newSecret() + ApiKeySecrets.newId());
    verify(
        issue(new User("warm-up", "warm-up", Role.VIEWER, null, false, false, now, now)).token());
  }

  /**
   * Verifies a token.
   *
   * @param token the bearer token
   * @return its facts, or a failed future for any token that is not ours, intact and current
   */
  public Future<Verified> verify(String token) {
    if (token.length() > MAX_TOKEN_LENGTH || !headerIsPlain(token)) {
      return Future.failedFuture(new InvalidCredentialsException());
    }
    Future<io.vertx.ext.auth.User> authenticated;
    try {
      authenticated = jwt.authenticate(new TokenCredentials(token));
    } catch (RuntimeException e) {
      // vertx-auth-jwt throws, rather than fails, on a claim of the wrong type (a string "exp").
      authenticated = Future.failedFuture(e);
    }
    return authenticated
        .recover(failure -> Future.failedFuture(new InvalidCredentialsException()))
        .compose(
            user -> {
              // vertx-auth-jwt keeps the verified claims under the "accessToken" attribute.
              JsonObject claims = user.attributes().getJsonObject("accessToken");
              if (claims == null) {
                return Future.failedFuture(new InvalidCredentialsException());
              }
              long now = clock.instant().getEpochSecond();
              Long exp = number(claims, "exp");
              Long iat = number(claims, "iat");
              Long nbf = number(claims, "nbf");
              // A time claim that is there must be a whole number of seconds we can represent.
              if (!wellFormedTime(claims, "iat", iat) || !wellFormedTime(claims, "nbf", nbf)) {
                return Future.failedFuture(new InvalidCredentialsException());
              }
              String jti = text(claims, "jti");
              String sub = text(claims, "sub");
              if (exp == null
                  || exp <= now
                  || exp > MAX_EPOCH_SECOND
                  || (iat != null && iat > now)
                  || (nbf != null && nbf > now)
                  || jti == null
                  || sub == null) {
                return Future.failedFuture(new InvalidCredentialsException());
              }
              Role role;
              try {
                role = Role.parse("role", claims.getValue("role"));
              } catch (RuntimeException e) {
                return Future.failedFuture(new InvalidCredentialsException());
              }
              return Future.succeededFuture(
                  new Verified(jti, sub, role, Instant.ofEpochSecond(exp)));
            });
  }

  /** Only {@code {"alg":"HS256"}}, optionally with {@code "typ":"JWT"}. */
  private static boolean headerIsPlain(String token) {
    int dot = token.indexOf('.');
    if (dot <= 0) {
      return false;
    }
    try {
      JsonObject header =
          new JsonObject(Buffer.buffer(Base64.getUrlDecoder().decode(token.substring(0, dot))));
      return ALGORITHM.equals(header.getValue("alg"))
          && HEADER_FIELDS.containsAll(header.fieldNames())
          && (!header.containsKey("typ") || "JWT".equals(header.getValue("typ")));
    } catch (IllegalArgumentException | DecodeException | ClassCastException e) {
      return false;
    }
  }

  /** The last second an {@link Instant} holds: a later {@code exp} is refused, not a crash. */
  private static final long MAX_EPOCH_SECOND = Instant.MAX.getEpochSecond();

  private static Long number(JsonObject claims, String name) {
    Object value = claims.getValue(name);
    return value instanceof Number n && n.doubleValue() == n.longValue() ? n.longValue() : null;
  }

  /** Absent, or a whole number of seconds (a string or a fraction is refused). */
  private static boolean wellFormedTime(JsonObject claims, String name, Long read) {
    return !claims.containsKey(name) || read != null;
  }

  private static String text(JsonObject claims, String name) {
    Object value = claims.getValue(name);
    return value instanceof String s && !s.isEmpty() ? s : null;
  }
}
