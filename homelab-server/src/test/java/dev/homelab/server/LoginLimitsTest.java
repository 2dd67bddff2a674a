package dev.homelab.server;

import static dev.homelab.core.testing.VertxTesting.await;
import static dev.homelab.core.testing.VertxTesting.awaitFailure;
import static org.assertj.core.api.Assertions.assertThat;

import dev.homelab.client.HomelabClient;
import dev.homelab.client.HomelabClientOptions;
import dev.homelab.client.HomelabRateLimitedException;
import dev.homelab.client.HomelabUnauthorizedException;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Seed 003's limits, in memory: login per IP, account lockout, global budget, proxies. */
class LoginLimitsTest {

  @TempDir Path dir;

  static Map<String, String> limits(String... more) {
    Map<String, String> settings = new HashMap<>();
    settings.put("RATE_LIMIT_LOGIN_PER_MINUTE", "5");
    settings.put("LOGIN_LOCKOUT_FAILURES", "5");
    for (int i = 0; i < more.length; i += 2) {
      settings.put(more[i], more[i + 1]);
    }
    return settings;
  }

  static HttpResponse<Buffer> login(ServerTesting lab, String forwardedFor, JsonObject body) {
    var request = lab.web.post("/api/auth/login");
    if (forwardedFor != null) {
      request.putHeader("X-Forwarded-For", forwardedFor);
    }
    return await(request.sendJsonObject(body));
  }

  static JsonObject password(String username, String password) {
    return new JsonObject().put("username", username).put("password", password);
  }

  @Test
  void theSixthWrongLoginInAMinuteFromOneAddressIs429WithRetryAfter() {
    // One client address behind a trusted proxy, so that the harness's own login from
    // 127.0.0.1 is not among the six.
    try (ServerTesting lab = ServerTesting.start(dir, limits("TRUSTED_PROXIES", "127.0.0.1"))) {
      HomelabClient client =
          HomelabClient.create(
              lab.vertx,
              new HomelabClientOptions()
                  .setBaseUrl("http://127.0.0.1:" + lab.server.port())
                  .setRequestHook(request -> request.putHeader("X-Forwarded-For", "192.168.1.50")));
      for (int i = 1; i <= 5; i++) {
        assertThat(awaitFailure(client.auth().login("wrong-token-" + i)))
            .as("attempt " + i)
            .isInstanceOf(HomelabUnauthorizedException.class);
      }
      HomelabRateLimitedException sixth =
          (HomelabRateLimitedException) awaitFailure(client.auth().login("wrong-token-6"));
      assertThat(sixth.status()).isEqualTo(429);
      assertThat(sixth.errorCode()).isEqualTo("RATE_LIMITED");
      assertThat(sixth.retryAfterSeconds()).isBetween(1L, 60L);
      // Other routes are not login attempts: an existing session keeps working.
      assertThat(await(lab.client.auth().me()).username()).isEqualTo("admin");
    }
  }

  @Test
  void aLockedAccountDoesNotLockAnotherAndXffCountsOnlyFromTrustedProxies() {
    try (ServerTesting lab = ServerTesting.start(dir, limits("TRUSTED_PROXIES", "127.0.0.1/32"))) {
      await(lab.client.users().create("judy", "judy-password-1", "user"));
      await(lab.client.users().create("kate", "kate-password-1", "user"));
      // Five failures for judy, each from another client behind the trusted proxy.
      for (int i = 1; i <= 5; i++) {
        assertThat(login(lab, "10.0.0." + i, password("judy", "wrong")).statusCode())
            .isEqualTo(401);
      }
      HttpResponse<Buffer> locked = login(lab, "10.0.0.99", password("judy", "judy-password-1"));
      assertThat(locked.statusCode()).as("judy is locked, even with her password").isEqualTo(429);
      assertThat(Long.parseLong(locked.getHeader("Retry-After"))).isBetween(60L, 900L);
      HttpResponse<Buffer> unknown = login(lab, "10.0.0.98", password("nobody", "wrong"));
      assertThat(unknown.statusCode()).isEqualTo(401);
      assertThat(login(lab, "10.0.0.97", password("kate", "kate-password-1")).statusCode())
          .as("kate is not locked by judy's failures")
          .isEqualTo(200);
      // A spoofed chain: the client's own entries left of the proxy's are not believed.
      for (int i = 1; i <= 5; i++) {
        login(lab, "1.2.3." + i + ", 10.0.1.1", password("kate", "wrong-" + i));
      }
      assertThat(login(lab, "9.9.9.9, 10.0.1.1", password("x", "y")).statusCode())
          .as("the proxy-appended address 10.0.1.1 is the client")
          .isEqualTo(429);
    }
  }

  @Test
  void xffFromAnUntrustedPeerIsIgnored() {
    try (ServerTesting lab = ServerTesting.start(dir, limits())) {
      // The harness's own admin login from 127.0.0.1 was the first attempt.
      for (int i = 2; i <= 5; i++) {
        assertThat(login(lab, "10.1.0." + i, password("user" + i, "wrong")).statusCode())
            .isEqualTo(401);
      }
      assertThat(login(lab, "10.1.0.77", password("other", "wrong")).statusCode())
          .as("all six came from 127.0.0.1, whatever they claimed")
          .isEqualTo(429);
    }
  }

  @Test
  void theGlobalBudgetAnswers429() {
    try (ServerTesting lab = ServerTesting.start(dir, Map.of("RATE_LIMIT_PER_MINUTE", "20"))) {
      int limited = 0;
      for (int i = 0; i < 25; i++) {
        HttpResponse<Buffer> response = await(lab.webAdmin.get("/api/auth/me").send());
        if (response.statusCode() == 429) {
          limited++;
          assertThat(response.getHeader("Retry-After")).isNotNull();
          assertThat(response.bodyAsJsonObject().getString("error_code")).isEqualTo("RATE_LIMITED");
        }
      }
      // The harness's own login used one request of the budget.
      assertThat(limited).isEqualTo(6);
      assertThat(await(lab.web.get("/health").send()).statusCode())
          .as("/health is outside the /api budget")
          .isEqualTo(200);
    }
  }
}
