package dev.homelab.server.auth;

import static dev.homelab.core.testing.VertxTesting.await;
import static dev.homelab.core.testing.VertxTesting.awaitFailure;
import static org.assertj.core.api.Assertions.assertThat;

import dev.homelab.core.identity.Role;
import dev.homelab.core.identity.User;
import dev.homelab.core.testing.MutableClock;
import dev.homelab.core.testing.VertxTesting;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The token attacks of reliability rows A1-A8, against the verifier with a fixed clock; and row F19
 * (clock jumps): a token's times are judged against the injected clock alone, not the system clock.
 */
class SessionTokensTest {

  static final String SECRET = "0123456789abcdefghijklmnopqrstuvwxyz-ABCDEFG";

  /** Now, to the second. */
  static final Instant NOW = Instant.ofEpochSecond(Instant.now().getEpochSecond());

  static Vertx vertx;
  static SessionTokens tokens;
  static final User ALICE = new User("u-1", "alice", Role.USER, "h", false, false, NOW, NOW);

  @BeforeAll
  static void start() {
    vertx = VertxTesting.vertx();
    tokens = new SessionTokens(vertx, SECRET, 3600, Clock.fixed(NOW, ZoneOffset.UTC));
  }

  @AfterAll
  static void stop() {
    await(vertx.close());
  }

  /** Signs any header and claims with HMAC-SHA256 under the given key, like an attacker's tool. */
  static String sign(JsonObject header, JsonObject claims, String key, String algorithm) {
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    String signingInput =
        b64.encodeToString(header.encode().getBytes(StandardCharsets.UTF_8))
            + "."
            + b64.encodeToString(claims.encode().getBytes(StandardCharsets.UTF_8));
    try {
      Mac mac = Mac.getInstance(algorithm);
      mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), algorithm));
      return signingInput
          + "."
          + b64.encodeToString(mac.doFinal(signingInput.getBytes(StandardCharsets.UTF_8)));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static JsonObject claims(long expOffset) {
    long now = NOW.getEpochSecond();
    return new JsonObject()
        .put("sub", "u-1")
        .put("role", "admin")
        .put("jti", "j-1")
        .put("iat", now)
        .put("exp", now + expOffset)
        .put("iss", SessionTokens.ISSUER)
        .put("aud", SessionTokens.AUDIENCE);
  }

  static JsonObject hs256() {
    return new JsonObject().put("alg", "HS256").put("typ", "JWT");
  }

  void refused(String token) {
    assertThat(awaitFailure(tokens.verify(token))).isInstanceOf(InvalidCredentialsException.class);
  }

  @Test
  void anIssuedTokenVerifiesWithItsClaims() {
    SessionTokens.Issued issued = tokens.issue(ALICE);
    SessionTokens.Verified verified = await(tokens.verify(issued.token()));
    assertThat(verified.userId()).isEqualTo("u-1");
    assertThat(verified.role()).isEqualTo(Role.USER);
    assertThat(verified.id()).isEqualTo(issued.id());
    assertThat(verified.expiresAt()).isEqualTo(NOW.plusSeconds(3600));
    JsonObject header =
        new JsonObject(
            new String(
                Base64.getUrlDecoder().decode(issued.token().split("\\.")[0]),
                StandardCharsets.UTF_8));
    assertThat(header.getString("alg")).isEqualTo("HS256");
    assertThat(issued.toString()).doesNotContain(issued.token());
  }

  @Test
  void aTokenForgedWithTheSameKeyAndPlainHeaderIsAccepted() {
    // The control for every refusal below: the forging helper itself makes valid tokens.
    assertThat(await(tokens.verify(sign(hs256(), claims(600), SECRET, "HmacSHA256"))).id())
        .isEqualTo("j-1");
  }

  @Test
  void algNoneIsRefusedWithAndWithoutASignatureSegment() {
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    String unsigned =
        b64.encodeToString(
                new JsonObject().put("alg", "none").encode().getBytes(StandardCharsets.UTF_8))
            + "."
            + b64.encodeToString(claims(60).encode().getBytes(StandardCharsets.UTF_8));
    refused(unsigned);
    refused(unsigned + ".");
    refused(sign(new JsonObject().put("alg", "none"), claims(60), SECRET, "HmacSHA256"));
  }

  @Test
  void tamperedAndTruncatedSignaturesAreRefused() {
    String token = tokens.issue(ALICE).token();
    String[] parts = token.split("\\.");
    JsonObject payload =
        new JsonObject(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8))
            .put("role", "admin");
    String flipped =
        parts[0]
            + "."
            + Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(payload.encode().getBytes(StandardCharsets.UTF_8))
            + "."
            + parts[2];
    refused(flipped);
    refused(parts[0] + "." + parts[1] + "." + parts[2].substring(0, parts[2].length() - 4));
    refused(parts[0] + "." + parts[1]);
  }

  @Test
  void anotherKeyOrAnotherAlgorithmIsRefused() {
    refused(sign(hs256(), claims(60), SECRET + "-other", "HmacSHA256"));
    refused(sign(new JsonObject().put("alg", "HS512"), claims(60), SECRET, "HmacSHA512"));
    refused(sign(new JsonObject().put("alg", "HS384"), claims(60), SECRET, "HmacSHA384"));
    refused(sign(new JsonObject().put("alg", "RS256"), claims(60), SECRET, "HmacSHA256"));
  }

  @Test
  void keySelectingHeadersAreRefusedEvenWithAValidSignature() {
    for (String field : new String[] {"kid", "jku", "jwk", "x5u"}) {
      JsonObject header = hs256().put(field, field.equals("jwk") ? "{}" : "../../../../dev/null");
      refused(sign(header, claims(60), SECRET, "HmacSHA256"));
    }
    refused(sign(hs256().put("kid", "' OR '1'='1"), claims(60), SECRET, "HmacSHA256"));
  }

  @Test
  void keyUrlsInTheHeaderAreNeverFetched() {
    // A canary on another loopback address: a verifier that followed jku or x5u (or the same
    // fields inside an embedded jwk) would ask it for keys.
    AtomicInteger asked = new AtomicInteger();
    HttpServer canary =
        vertx
            .createHttpServer()
            .requestHandler(
                request -> {
                  asked.incrementAndGet();
                  request.response().putHeader("Content-Type", "application/json").end("{}");
                });
    int port = await(canary.listen(0, "127.0.0.9")).actualPort();
    try {
      String url = "http://127.0.0.9:" + port + "/keys.json";
      for (JsonObject header :
          List.of(
              hs256().put("jku", url),
              hs256().put("x5u", url),
              hs256()
                  .put("jwk", new JsonObject().put("kty", "oct").put("jku", url).put("x5u", url)),
              new JsonObject().put("alg", "RS256").put("typ", "JWT").put("jku", url))) {
        refused(sign(header, claims(60), SECRET, "HmacSHA256"));
      }
      HttpClient probe = vertx.createHttpClient();
      int status =
          await(
              probe
                  .request(HttpMethod.GET, port, "127.0.0.9", "/keys.json")
                  .compose(request -> request.send())
                  .map(response -> response.statusCode()));
      assertThat(status).as("the canary answers when asked").isEqualTo(200);
      assertThat(asked).as("asked only by the probe").hasValue(1);
    } finally {
      await(canary.close());
    }
  }

  @Test
  void timeClaimsAreEnforcedWithoutLeeway() {
    refused(sign(hs256(), claims(-1), SECRET, "HmacSHA256"));
    refused(sign(hs256(), claims(0), SECRET, "HmacSHA256"));
    refused(sign(hs256(), claims(-61), SECRET, "HmacSHA256"));
    refused(
        sign(hs256(), claims(3600).put("nbf", NOW.getEpochSecond() + 60), SECRET, "HmacSHA256"));
    refused(
        sign(hs256(), claims(7200).put("iat", NOW.getEpochSecond() + 3600), SECRET, "HmacSHA256"));
    JsonObject noExp = claims(60);
    noExp.remove("exp");
    refused(sign(hs256(), noExp, SECRET, "HmacSHA256"));
    // Malformed times are refused, not skipped and not a crash: the library no longer checks them.
    refused(sign(hs256(), claims(60).put("exp", Long.MAX_VALUE), SECRET, "HmacSHA256"));
    refused(sign(hs256(), claims(60).put("exp", "tomorrow"), SECRET, "HmacSHA256"));
    refused(sign(hs256(), claims(60).put("nbf", "later"), SECRET, "HmacSHA256"));
    refused(sign(hs256(), claims(60).put("iat", NOW.getEpochSecond() + 0.5), SECRET, "HmacSHA256"));
  }

  @Test
  void wrongIssuerAudienceOrMissingClaimsAreRefused() {
    refused(sign(hs256(), claims(60).put("iss", "someone-else"), SECRET, "HmacSHA256"));
    refused(sign(hs256(), claims(60).put("aud", "another-api"), SECRET, "HmacSHA256"));
    JsonObject noJti = claims(60);
    noJti.remove("jti");
    refused(sign(hs256(), noJti, SECRET, "HmacSHA256"));
    refused(sign(hs256(), claims(60).put("role", "root"), SECRET, "HmacSHA256"));
  }

  @Test
  void garbageIsRefusedNeverThrown() {
    for (String garbage :
        new String[] {"", ".", "..", "a.b.c", "eyJ.eyJ.sig", "%%%.^^^.&&&", "x".repeat(100_000)}) {
      refused(garbage);
    }
  }

  /**
   * F19: with a clock a month behind or ahead of the system clock, a token is accepted until its
   * expiry by that clock and refused from it on, also after the clock steps an hour forward and
   * back. A step back to before the expiry makes the token current again: that is what {@code exp}
   * against "now" means; what must hold is that no token is accepted once the clock's now has
   * reached its expiry.
   */
  @Test
  void expiryIsJudgedByTheInjectedClockThroughJumps() {
    Instant system = Instant.ofEpochSecond(Instant.now().getEpochSecond());
    for (Instant start :
        List.of(system.minus(Duration.ofDays(30)), system.plus(Duration.ofDays(30)))) {
      MutableClock clock = new MutableClock(start);
      SessionTokens tokens = new SessionTokens(vertx, SECRET, 600, clock);
      User alice = new User("u-1", "alice", Role.USER, "h", false, false, start, start);
      SessionTokens.Issued issued = tokens.issue(alice);
      assertThat(issued.expiresAt()).isEqualTo(start.plusSeconds(600));
      String token = issued.token();

      acceptedAt(tokens, token, start);
      clock.advance(Duration.ofSeconds(599));
      acceptedAt(tokens, token, start);
      clock.advance(Duration.ofSeconds(1)); // now = exp
      refusedAt(tokens, token, start);
      clock.advance(Duration.ofHours(1));
      refusedAt(tokens, token, start);
      clock.advance(Duration.ofHours(-1)); // back to exp: still expired
      refusedAt(tokens, token, start);
      clock.advance(Duration.ofSeconds(-1)); // a second before exp, by the clock: current again
      acceptedAt(tokens, token, start);
      clock.advance(Duration.ofHours(1));
      refusedAt(tokens, token, start);
    }
  }

  private static void acceptedAt(SessionTokens tokens, String token, Instant start) {
    assertThat(await(tokens.verify(token)).userId())
        .as("clock started at %s", start)
        .isEqualTo("u-1");
  }

  private static void refusedAt(SessionTokens tokens, String token, Instant start) {
    assertThat(awaitFailure(tokens.verify(token)))
        .as("clock started at %s", start)
        .isInstanceOf(InvalidCredentialsException.class);
  }
}
