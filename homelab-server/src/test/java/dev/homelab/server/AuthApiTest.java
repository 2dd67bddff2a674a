package dev.homelab.server;

import static dev.homelab.core.testing.VertxTesting.await;
import static dev.homelab.core.testing.VertxTesting.awaitFailure;
import static org.assertj.core.api.Assertions.assertThat;

import dev.homelab.client.HomelabClient;
import dev.homelab.client.HomelabForbiddenException;
import dev.homelab.client.HomelabHttpException;
import dev.homelab.client.HomelabUnauthorizedException;
import dev.homelab.client.audit.AuditEntry;
import dev.homelab.client.audit.AuditQuery;
import dev.homelab.client.devices.NewDevice;
import dev.homelab.client.identity.CreatedApiKey;
import dev.homelab.client.identity.LoginResult;
import dev.homelab.client.identity.Me;
import dev.homelab.client.identity.UserPatch;
import dev.homelab.server.auth.SessionTokens;
import dev.homelab.server.features.WebFeature;
import dev.homelab.server.routes.FileRoutes;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Login, sessions, API keys, users and the audit log, through the client against a real server. */
class AuthApiTest {

  static final String METRICS_TOKEN = "metrics-token-0123456789";

  @TempDir static Path dir;
  static ServerTesting lab;
  static String jwtSecret;

  @BeforeAll
  static void start() throws Exception {
    lab =
        ServerTesting.start(
            dir,
            Map.of(
                "METRICS_ACCESS",
                "token",
                "METRICS_TOKEN",
                METRICS_TOKEN,
                "CORS_ORIGINS",
                "https://dash.example.lan"));
    jwtSecret = Files.readString(dir.resolve("jwt_secret")).strip();
  }

  @AfterAll
  static void stop() {
    lab.close();
  }

  static String b64(JsonObject json) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(json.encode().getBytes(StandardCharsets.UTF_8));
  }

  static String hs256(JsonObject header, JsonObject claims, String key) throws Exception {
    String input = b64(header) + "." + b64(claims);
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    return input
        + "."
        + Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString(mac.doFinal(input.getBytes(StandardCharsets.UTF_8)));
  }

  /** Claims of the built-in admin as the server would write them, expiring at {@code exp}. */
  static JsonObject adminClaims(long exp) {
    Me me = await(lab.client.auth().me());
    long now = Instant.now().getEpochSecond();
    return new JsonObject()
        .put("sub", me.id())
        .put("role", "admin")
        .put("jti", "forged-" + exp)
        .put("iat", now - 10)
        .put("exp", exp)
        .put("iss", SessionTokens.ISSUER)
        .put("aud", SessionTokens.AUDIENCE);
  }

  /**
   * Acceptance 1: every route but login, /health*, /openapi.json and the dashboard's pages refuses
   * every kind of bad credential.
   */
  @Test
  void everyRouteRefusesMissingExpiredTamperedNoneAndForeignCredentials() throws Exception {
    long now = Instant.now().getEpochSecond();
    JsonObject header = new JsonObject().put("alg", "HS256").put("typ", "JWT");
    // The control: a token forged with the server's own key and current claims is accepted.
    String valid = hs256(header, adminClaims(now + 600), jwtSecret);
    assertThat(await(lab.newClient(valid).auth().me()).role()).isEqualTo("admin");

    String[] parts = lab.adminJwt.split("\\.");
    JsonObject payload =
        new JsonObject(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
    Map<String, String> credentials = new LinkedHashMap<>();
    credentials.put("none", null);
    credentials.put("expired", hs256(header, adminClaims(now - 1), jwtSecret));
    credentials.put(
        "tampered",
        parts[0] + "." + b64(payload.copy().put("role", "admin").put("sub", "x")) + "." + parts[2]);
    credentials.put(
        "alg:none",
        b64(new JsonObject().put("alg", "none")) + "." + b64(adminClaims(now + 600)) + ".");
    credentials.put(
        "other key",
        hs256(header, adminClaims(now + 600), "another-secret-of-at-least-32-bytes!!"));
    credentials.put("garbage", "not-a-token");
    credentials.put("fake api key", "hlk_0123456789abcdef_" + "A".repeat(43));

    Map<String, Integer> unexpected = new LinkedHashMap<>();
    TreeSet<String> walked = new TreeSet<>();
    for (Route route : lab.server.router().getRoutes()) {
      if (route.getPath() == null || route.methods() == null) {
        continue;
      }
      String path =
          route.getPath().replaceAll(":[A-Za-z0-9_]+", "01234567-89ab-7def-8123-456789abcdef");
      for (HttpMethod method : route.methods()) {
        String name = method + " " + route.getPath();
        if (path.startsWith("/health")
            || name.equals("POST /api/auth/login")
            || name.equals("GET /openapi.json")
            || WebFeature.isWebRoute(route.getPath())
            || route.getPath().startsWith(FileRoutes.SHARE_PATH)) {
          // public: see WebAssetsTest for the dashboard, /docs and /openapi.json, FilesHttpTest
          // for share links (a link is its own credential)
          continue;
        }
        walked.add(name);
        for (Map.Entry<String, String> credential : credentials.entrySet()) {
          HttpRequest<Buffer> request = lab.web.request(method, path);
          if (credential.getValue() != null) {
            request.bearerTokenAuthentication(credential.getValue());
          }
          HttpResponse<Buffer> response =
              await(
                  request
                      .putHeader("Content-Type", "application/json")
                      .sendBuffer(Buffer.buffer("{\"value\":1,\"name\":\"x\"}")));
          if (response.statusCode() != 401) {
            unexpected.put(name + " with " + credential.getKey(), response.statusCode());
          } else {
            assertThat(response.getHeader("WWW-Authenticate")).isEqualTo("Bearer");
            if (method != HttpMethod.HEAD) { // a HEAD answer has no body
              assertThat(response.bodyAsJsonObject().getString("error_code"))
                  .isEqualTo("UNAUTHENTICATED");
            }
          }
        }
      }
    }
    assertThat(unexpected).isEmpty();
    assertThat(walked)
        .contains(
            "GET /api/devices",
            "DELETE /api/users/:id",
            "GET /api/audit",
            "GET /metrics",
            "PUT /api/settings/:key");
    // Unknown /api paths answer 401 too, so the route inventory stays hidden.
    assertThat(await(lab.web.get("/api/no/such/thing").send()).statusCode()).isEqualTo(401);
  }

  @Test
  void loginWithTheAccessTokenOrAPasswordIssuesAStandardJwt() {
    HomelabClient client = lab.newClient(null);
    LoginResult login = await(client.auth().login(ServerTesting.ACCESS_TOKEN));
    assertThat(login.expiresInSeconds()).isEqualTo(604_800);
    JsonObject header =
        new JsonObject(
            new String(
                Base64.getUrlDecoder().decode(login.jwt().split("\\.")[0]),
                StandardCharsets.UTF_8));
    JsonObject claims =
        new JsonObject(
            new String(
                Base64.getUrlDecoder().decode(login.jwt().split("\\.")[1]),
                StandardCharsets.UTF_8));
    assertThat(header.getString("alg")).isEqualTo("HS256");
    assertThat(claims.fieldNames()).contains("exp", "iat", "jti", "sub", "role");
    assertThat(claims.getLong("exp") - claims.getLong("iat")).isEqualTo(604_800);
    assertThat(await(client.auth().me()).username()).isEqualTo("admin");

    var raw =
        await(
            lab.web
                .post("/api/auth/login")
                .sendJsonObject(new JsonObject().put("token", ServerTesting.ACCESS_TOKEN)));
    assertThat(raw.bodyAsJsonObject().fieldNames()).contains("success", "jwt", "expires_in");
    assertThat(raw.bodyAsJsonObject().getBoolean("success")).isTrue();

    await(lab.client.users().create("dave", "dave-password-1", "user"));
    HomelabClient dave = lab.newClient(null);
    await(dave.auth().login("DAVE", "dave-password-1"));
    Me me = await(dave.auth().me());
    assertThat(me.username()).isEqualTo("dave");
    assertThat(me.credentialType()).isEqualTo("jwt");
  }

  @Test
  void wrongCredentialsGetTheSameAnswerWhetherTheUserExistsOrNot() {
    await(lab.client.users().create("erin", "erin-password-1", "user"));
    HomelabHttpException unknown =
        (HomelabHttpException)
            awaitFailure(lab.newClient(null).auth().login("nobody-here", "wrong-password"));
    HomelabHttpException known =
        (HomelabHttpException)
            awaitFailure(lab.newClient(null).auth().login("erin", "wrong-password"));
    HomelabHttpException token =
        (HomelabHttpException) awaitFailure(lab.newClient(null).auth().login("not-the-token"));
    for (HomelabHttpException e : List.of(unknown, known, token)) {
      assertThat(e).isInstanceOf(HomelabUnauthorizedException.class);
      assertThat(e.errorCode()).isEqualTo("INVALID_CREDENTIALS");
    }
    var bothForms =
        await(
            lab.web
                .post("/api/auth/login")
                .sendJsonObject(
                    new JsonObject()
                        .put("token", "x")
                        .put("username", "erin")
                        .put("password", "y")));
    assertThat(bothForms.statusCode()).isEqualTo(422);
  }

  /** Acceptance 4: logout, key revocation and demotion take effect on the very next request. */
  @Test
  void logoutRevocationAndDemotionApplyToTheNextRequest() {
    // Logout
    HomelabClient session = lab.newClient(null);
    String jwt = await(session.auth().login(ServerTesting.ACCESS_TOKEN)).jwt();
    HomelabClient sameToken = lab.newClient(jwt);
    await(sameToken.auth().me());
    await(session.auth().logout());
    assertThat(awaitFailure(sameToken.auth().me()))
        .isInstanceOf(HomelabUnauthorizedException.class);

    // API key revocation
    HomelabClient frank = lab.newUser("frank", "user");
    CreatedApiKey key = await(frank.auth().createKey("backup", "viewer", null));
    assertThat(key.secret()).startsWith("hlk_");
    assertThat(key.toString()).doesNotContain(key.secret());
    HomelabClient bot = lab.newClient(key.secret());
    Me botMe = await(bot.auth().me());
    assertThat(botMe.role()).isEqualTo("viewer");
    assertThat(botMe.credentialType()).isEqualTo("api_key");
    assertThat(awaitFailure(bot.devices().create(new NewDevice("x", "iot"))))
        .isInstanceOf(HomelabForbiddenException.class);
    assertThat(awaitFailure(bot.auth().createKey("more")))
        .isInstanceOf(HomelabForbiddenException.class);
    assertThat(await(frank.auth().keys())).extracting(k -> k.id()).contains(key.key().id());
    await(frank.auth().revokeKey(key.key().id()));
    assertThat(awaitFailure(bot.auth().me())).isInstanceOf(HomelabUnauthorizedException.class);
    assertThat(awaitFailure(frank.auth().createKey("too-much", "admin", null)))
        .isInstanceOf(HomelabHttpException.class)
        .satisfies(e -> assertThat(((HomelabHttpException) e).status()).isEqualTo(422));

    // Demotion, disabling and deletion
    String frankId = await(frank.auth().me()).id();
    await(frank.devices().create(new NewDevice("lamp", "iot")));
    await(lab.client.users().update(frankId, UserPatch.empty().withRole("viewer")));
    assertThat(awaitFailure(frank.devices().create(new NewDevice("lamp2", "iot"))))
        .isInstanceOf(HomelabForbiddenException.class);
    assertThat(await(frank.auth().me()).role()).isEqualTo("viewer");
    await(lab.client.users().update(frankId, UserPatch.empty().withDisabled(true)));
    assertThat(awaitFailure(frank.auth().me())).isInstanceOf(HomelabUnauthorizedException.class);
    await(lab.client.users().update(frankId, UserPatch.empty().withDisabled(false)));
    assertThat(await(frank.auth().me()).role()).isEqualTo("viewer");
    await(lab.client.users().delete(frankId));
    assertThat(awaitFailure(frank.auth().me())).isInstanceOf(HomelabUnauthorizedException.class);
  }

  @Test
  void onlyAdminsManageUsersAndTheBuiltinAdminIsProtected() {
    HomelabClient grace = lab.newUser("grace", "user");
    assertThat(awaitFailure(grace.users().list())).isInstanceOf(HomelabForbiddenException.class);
    assertThat(awaitFailure(grace.audit().list())).isInstanceOf(HomelabForbiddenException.class);
    String adminId = await(lab.client.auth().me()).id();
    HomelabHttpException builtin =
        (HomelabHttpException)
            awaitFailure(lab.client.users().update(adminId, UserPatch.empty().withRole("viewer")));
    assertThat(builtin.status()).isEqualTo(409);
    assertThat(builtin.errorCode()).isEqualTo("BUILTIN_USER");
    HomelabHttpException taken =
        (HomelabHttpException)
            awaitFailure(lab.client.users().create("GRACE", "pw-long-enough", "user"));
    assertThat(taken.errorCode()).isEqualTo("USERNAME_TAKEN");
    var massAssignment =
        await(
            lab.webAdmin
                .post("/api/users")
                .sendJsonObject(
                    new JsonObject()
                        .put("username", "henry")
                        .put("password", "henry-password")
                        .put("role", "user")
                        .put("id", "chosen")));
    assertThat(massAssignment.statusCode()).isEqualTo(422);
    String usersJson = await(lab.webAdmin.get("/api/users").send()).bodyAsString();
    assertThat(usersJson).doesNotContain("pbkdf2").doesNotContain("password");
  }

  /** Acceptance 5: logins, failures, keys and user changes are all in the audit log. */
  @Test
  void theAuditLogRecordsEveryAuthEventWithoutSecrets() {
    HomelabClient ivan = lab.newUser("ivan", "user");
    awaitFailure(lab.newClient(null).auth().login("ivan", "not-his-password"));
    CreatedApiKey key = await(ivan.auth().createKey("cron"));
    await(ivan.auth().revokeKey(key.key().id()));
    String ivanId = await(ivan.auth().me()).id();
    await(ivan.auth().logout());
    await(lab.client.users().update(ivanId, UserPatch.empty().withPassword("a-new-password-1")));
    await(lab.client.users().delete(ivanId));

    List<AuditEntry> entries =
        lab.client.blocking().audit().list(AuditQuery.create().withLimit(500)).items();
    List<String> ivans =
        entries.stream()
            .filter(
                e ->
                    ivanId.equals(e.actorId())
                        || "ivan".equals(e.actor())
                        || ("user:" + ivanId).equals(e.target()))
            .map(e -> e.action() + "/" + e.outcome())
            .toList();
    assertThat(ivans)
        .contains(
            "user.created/success",
            "auth.login/success",
            "auth.login_failed/failure",
            "auth.key_created/success",
            "auth.key_revoked/success",
            "auth.logout/success",
            "user.updated/success",
            "user.deleted/success");
    awaitFailure(lab.newClient(null).auth().login("My Secret Passw0rd!", "oops"));
    assertThat(await(lab.webAdmin.get("/api/audit?limit=500").send()).bodyAsString())
        .as("a password typed as a username is not recorded")
        .doesNotContain("My Secret Passw0rd!");
    AuditEntry failed =
        entries.stream()
            .filter(e -> e.action().equals("auth.login_failed"))
            .findFirst()
            .orElseThrow();
    assertThat(failed.sourceIp()).isEqualTo("127.0.0.1");
    assertThat(failed.requestId()).isNotBlank();
    String all = await(lab.webAdmin.get("/api/audit?limit=500").send()).bodyAsString();
    assertThat(all)
        .doesNotContain(key.secret())
        .doesNotContain("not-his-password")
        .doesNotContain("a-new-password-1")
        .doesNotContain(ServerTesting.ACCESS_TOKEN)
        .doesNotContain(lab.adminJwt);
    var filtered =
        await(
            lab.client
                .audit()
                .list(AuditQuery.create().withAction("auth.login_failed").withLimit(1)));
    assertThat(filtered.items())
        .allSatisfy(e -> assertThat(e.action()).isEqualTo("auth.login_failed"));
    assertThat(await(lab.webAdmin.get("/api/audit?from=yesterday").send()).statusCode())
        .isEqualTo(422);
  }

  @Test
  void corsAnswersOnlyListedOriginsAndNeverWithCredentials() {
    var evil =
        await(
            lab.web
                .request(HttpMethod.OPTIONS, "/api/devices")
                .putHeader("Origin", "http://evil.example")
                .putHeader("Access-Control-Request-Method", "GET")
                .send());
    assertThat(evil.getHeader("Access-Control-Allow-Origin")).isNull();
    assertThat(evil.getHeader("Access-Control-Allow-Credentials")).isNull();
    var dash =
        await(
            lab.web
                .request(HttpMethod.OPTIONS, "/api/devices")
                .putHeader("Origin", "https://dash.example.lan")
                .putHeader("Access-Control-Request-Method", "GET")
                .send());
    assertThat(dash.getHeader("Access-Control-Allow-Origin")).isEqualTo("https://dash.example.lan");
    assertThat(dash.getHeader("Access-Control-Allow-Credentials")).isNull();
    var any = await(lab.web.get("/health").send());
    assertThat(any.getHeader("X-Content-Type-Options")).isEqualTo("nosniff");
    assertThat(any.getHeader("X-Frame-Options")).isEqualTo("DENY");
    assertThat(any.getHeader("Content-Security-Policy")).isEqualTo("frame-ancestors 'none'");
    assertThat(any.getHeader("Referrer-Policy")).isEqualTo("no-referrer");
    assertThat(
            await(lab.web.get("/metrics").bearerTokenAuthentication(METRICS_TOKEN).send())
                .statusCode())
        .isEqualTo(200);
  }
}
