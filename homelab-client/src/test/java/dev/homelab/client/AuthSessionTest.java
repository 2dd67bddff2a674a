package dev.homelab.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.homelab.client.devices.DeviceQuery;
import dev.homelab.client.devices.DeviceToken;
import dev.homelab.client.identity.BlockingAuth;
import dev.homelab.client.identity.LoginResult;
import dev.homelab.client.identity.Me;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The client's session handling and query encoding, end to end against a stub of the auth and
 * device endpoints on an ephemeral loopback port.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
class AuthSessionTest {

  private static final String ACCESS_TOKEN = "access-token";
  private static final String OPTIONS_TOKEN = "hlk_from_options";
  private static final String PASSWORD = "correct horse battery";
  private static final String CURSOR = "c+/= &1";

  /** "METHOD path Authorization" of every request, in order. */
  private final List<String> seen = new CopyOnWriteArrayList<>();

  /** The decoded query parameters of every {@code GET /api/devices}. */
  private final List<MultiMap> deviceQueries = new CopyOnWriteArrayList<>();

  private final AtomicInteger logins = new AtomicInteger();
  private HttpServer server;
  private HomelabClient client;

  @BeforeEach
  void start(Vertx vertx) {
    Router router = Router.router(vertx);
    router.route().handler(BodyHandler.create());
    router
        .route()
        .handler(
            ctx -> {
              seen.add(
                  ctx.request().method()
                      + " "
                      + ctx.request().path()
                      + " "
                      + ctx.request().getHeader("Authorization"));
              ctx.next();
            });
    router.post("/api/auth/login").handler(this::login);
    router
        .post("/api/auth/logout")
        .handler(
            ctx -> {
              if (bearer(ctx).startsWith("jwt-")) {
                ctx.response().setStatusCode(204).end();
              } else {
                error(ctx, 400, "NOT_A_SESSION");
              }
            });
    router
        .get("/api/auth/me")
        .handler(
            ctx ->
                ctx.json(
                    new JsonObject()
                        .put("id", "u-1")
                        .put("username", "alice")
                        .put("role", "user")
                        .put("credential_type", bearer(ctx).startsWith("jwt-") ? "jwt" : "api_key")
                        .put("credential_id", bearer(ctx))
                        .put("expires_at", null)));
    router.get("/api/devices").handler(this::devices);
    router
        .post("/api/devices/:id/token")
        .handler(
            ctx ->
                ctx.response()
                    .setStatusCode(201)
                    .putHeader("Content-Type", "application/json")
                    .end(
                        new JsonObject()
                            .put("device_id", ctx.pathParam("id"))
                            .put("token", "hdt_secret")
                            .encode()));
    server = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1").await();
    client =
        HomelabClient.create(
            vertx,
            new HomelabClientOptions()
                .setBaseUrl("http://127.0.0.1:" + server.actualPort())
                .setToken(OPTIONS_TOKEN)
                .setTimeoutMs(5_000));
  }

  @AfterEach
  void stop() {
    client.close().await();
    server.close().await();
  }

  @Test
  void loginReplacesTheOptionsTokenUntilLogout() {
    BlockingAuth auth = client.blocking().auth();
    assertThat(auth.me().credentialId()).isEqualTo(OPTIONS_TOKEN);

    LoginResult login = auth.login(ACCESS_TOKEN);
    assertThat(login.jwt()).isEqualTo("jwt-1");
    assertThat(login.expiresInSeconds()).isEqualTo(604_800L);
    assertThat(seen).contains("POST /api/auth/login null");

    Me me = auth.me();
    assertThat(me.credentialId()).isEqualTo("jwt-1");
    assertThat(me.credentialType()).isEqualTo("jwt");

    auth.logout();
    assertThat(seen).contains("POST /api/auth/logout Bearer jwt-1");
    assertThat(auth.me().credentialId()).isEqualTo(OPTIONS_TOKEN);
  }

  @Test
  void passwordLoginIsUsedByLaterAsyncRequests(VertxTestContext test) {
    client
        .auth()
        .login("alice", PASSWORD)
        .compose(login -> client.auth().me())
        .onComplete(
            test.succeeding(
                me ->
                    test.verify(
                        () -> {
                          assertThat(me.credentialId()).isEqualTo("jwt-1");
                          test.completeNow();
                        })));
  }

  @Test
  void failedLoginsAreTypedAndKeepTheCurrentSession() {
    BlockingAuth auth = client.blocking().auth();
    auth.login(ACCESS_TOKEN);

    assertThatThrownBy(() -> auth.login("alice", "wrong password"))
        .isInstanceOfSatisfying(
            HomelabUnauthorizedException.class,
            e -> assertThat(e.errorCode()).isEqualTo("INVALID_CREDENTIALS"))
        .hasMessageNotContaining("wrong password");
    assertThatThrownBy(() -> auth.login("slow-down"))
        .isInstanceOfSatisfying(
            HomelabRateLimitedException.class,
            e -> {
              assertThat(e.errorCode()).isEqualTo("RATE_LIMITED");
              assertThat(e.retryAfterSeconds()).isEqualTo(42);
            });

    assertThat(auth.me().credentialId()).isEqualTo("jwt-1");
  }

  @Test
  void logoutWithAnApiKeyFailsAndChangesNothing() {
    BlockingAuth auth = client.blocking().auth();

    assertThatThrownBy(auth::logout)
        .isInstanceOfSatisfying(
            HomelabHttpException.class,
            e -> {
              assertThat(e.status()).isEqualTo(400);
              assertThat(e.errorCode()).isEqualTo("NOT_A_SESSION");
            });
    assertThat(auth.me().credentialId()).isEqualTo(OPTIONS_TOKEN);
  }

  @Test
  void queryParametersAreEncodedAndAutoPagingFollowsTheCursor() {
    List<String> names = new CopyOnWriteArrayList<>();
    client
        .blocking()
        .devices()
        .autoPagingIterable(DeviceQuery.create().withLimit(1).withDeviceType("rfid reader&x=1"))
        .forEach(device -> names.add(device.name()));

    assertThat(names).containsExactly("first", "second");
    assertThat(deviceQueries).hasSize(2);
    MultiMap first = deviceQueries.get(0);
    assertThat(first.names()).containsExactlyInAnyOrder("limit", "device_type");
    assertThat(first.get("device_type")).isEqualTo("rfid reader&x=1");
    assertThat(first.get("limit")).isEqualTo("1");
    MultiMap second = deviceQueries.get(1);
    assertThat(second.get("cursor")).isEqualTo(CURSOR);
    assertThat(second.get("device_type")).isEqualTo("rfid reader&x=1");
  }

  @Test
  void issuedTokenIsReadAndHiddenFromToString() {
    DeviceToken token = client.blocking().devices().issueToken("d-1");

    assertThat(token.deviceId()).isEqualTo("d-1");
    assertThat(token.token()).isEqualTo("hdt_secret");
    assertThat(token.toString()).doesNotContain("hdt_secret");
    assertThat(seen).contains("POST /api/devices/d-1/token Bearer " + OPTIONS_TOKEN);
  }

  private void login(RoutingContext ctx) {
    JsonObject body = ctx.body().asJsonObject();
    if ("slow-down".equals(body.getString("token"))) {
      ctx.response().putHeader("Retry-After", "42");
      error(ctx, 429, "RATE_LIMITED");
      return;
    }
    boolean valid =
        ACCESS_TOKEN.equals(body.getString("token"))
            || ("alice".equals(body.getString("username"))
                && PASSWORD.equals(body.getString("password")));
    if (!valid) {
      error(ctx, 401, "INVALID_CREDENTIALS");
      return;
    }
    ctx.json(
        new JsonObject()
            .put("success", true)
            .put("jwt", "jwt-" + logins.incrementAndGet())
            .put("expires_in", 604_800)
            .put("token_type", "Bearer"));
  }

  private void devices(RoutingContext ctx) {
    deviceQueries.add(MultiMap.caseInsensitiveMultiMap().addAll(ctx.queryParams()));
    String cursor = ctx.queryParams().get("cursor");
    if (cursor == null) {
      ctx.json(new JsonObject().put("devices", devices("first")).put("next_cursor", CURSOR));
    } else if (CURSOR.equals(cursor)) {
      ctx.json(new JsonObject().put("devices", devices("second")).put("next_cursor", null));
    } else {
      error(ctx, 422, "VALIDATION_FAILED");
    }
  }

  private static JsonArray devices(String name) {
    return new JsonArray()
        .add(
            new JsonObject()
                .put("id", "d-" + name)
                .put("name", name)
                .put("device_type", "rfid_reader")
                .put("metadata", new JsonObject())
                .put("owner", "u-1")
                .put("has_token", false)
                .put("created_at", "2025-03-01T08:00:00Z")
                .put("updated_at", "2025-03-01T08:00:00Z"));
  }

  private static String bearer(RoutingContext ctx) {
    String header = ctx.request().getHeader("Authorization");
    return header == null ? "" : header.substring("Bearer ".length());
  }

  private static void error(RoutingContext ctx, int status, String code) {
    ctx.response()
        .setStatusCode(status)
        .putHeader("Content-Type", "application/json")
        .end(
            new JsonObject()
                .put("detail", code.toLowerCase())
                .put("error_code", code)
                .put("timestamp", "2025-01-01T00:00:00Z")
                .encode());
  }
}
