package dev.homelab.server;

import static dev.homelab.core.testing.VertxTesting.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The HTTP contract every route shares: one error body, request ids, limits. */
class HttpContractTest {

  @TempDir static Path dir;
  static ServerTesting lab;

  @BeforeAll
  static void start() {
    lab = ServerTesting.start(dir, Map.of("MAX_BODY_SIZE", "4096"));
    // A route that fails unexpectedly, as a bug would.
    lab.server
        .router()
        .get("/test/boom")
        .handler(
            ctx -> {
              throw new IllegalStateException("secret internals at com.example.Hidden");
            });
  }

  @AfterAll
  static void stop() {
    lab.close();
  }

  private HttpResponse<Buffer> send(
      HttpMethod method, String path, String contentType, Buffer body) {
    var request = lab.webAdmin.request(method, path);
    if (contentType != null) {
      request.putHeader("Content-Type", contentType);
    }
    return await(body == null ? request.send() : request.sendBuffer(body));
  }

  /** The standard error body: its fields, code and request id, and nothing of the internals. */
  static JsonObject assertStandardError(
      HttpResponse<Buffer> response, int status, String errorCode) {
    assertThat(response.statusCode()).isEqualTo(status);
    assertThat(response.getHeader("Content-Type")).startsWith("application/json");
    JsonObject body = response.bodyAsJsonObject();
    if (status == 422) {
      assertThat(body.fieldNames())
          .containsExactlyInAnyOrder("detail", "error_code", "timestamp", "request_id", "field");
      assertThat(body.getString("detail")).startsWith(body.getString("field") + ":");
    } else {
      assertThat(body.fieldNames())
          .containsExactlyInAnyOrder("detail", "error_code", "timestamp", "request_id");
    }
    assertThat(body.getString("error_code")).isEqualTo(errorCode);
    assertThat(body.getString("request_id")).isEqualTo(response.getHeader("X-Request-Id"));
    assertThat(response.bodyAsString())
        .doesNotContain("Exception")
        .doesNotContain("at dev.")
        .doesNotContain("SELECT");
    return body;
  }

  @Test
  void unknownRoutesAre404() {
    assertStandardError(
        send(HttpMethod.GET, "/no/such/route?token=abc", null, null), 404, "NOT_FOUND");
  }

  @Test
  void wrongMethodsAre405() {
    assertStandardError(send(HttpMethod.POST, "/health", null, null), 405, "METHOD_NOT_ALLOWED");
  }

  @Test
  void malformedJsonIs400AndChangesNothing() {
    assertStandardError(
        send(HttpMethod.PUT, "/api/settings/k", "application/json", Buffer.buffer("{\"value\": ")),
        400,
        "MALFORMED_JSON");
    assertStandardError(
        send(HttpMethod.PUT, "/api/settings/k", "application/json", Buffer.buffer("[1,2]")),
        400,
        "MALFORMED_JSON");
    assertThat(send(HttpMethod.GET, "/api/settings/k", null, null).statusCode()).isEqualTo(404);
  }

  @Test
  void aBodyThatIsNotDeclaredJsonIs415() {
    assertStandardError(
        send(HttpMethod.PUT, "/api/settings/k", "text/plain", Buffer.buffer("{\"value\":1}")),
        415,
        "UNSUPPORTED_MEDIA_TYPE");
  }

  @Test
  void aTooLargeBodyIs413AndChangesNothing() {
    String big = "{\"value\":\"" + "x".repeat(10_000) + "\"}";
    assertStandardError(
        send(HttpMethod.PUT, "/api/settings/big", "application/json", Buffer.buffer(big)),
        413,
        "BODY_TOO_LARGE");
    assertThat(send(HttpMethod.GET, "/api/settings/big", null, null).statusCode()).isEqualTo(404);
  }

  @Test
  void invalidValuesAre422NamingTheField() {
    JsonObject body =
        assertStandardError(
            send(
                HttpMethod.PUT,
                "/api/settings/Bad%20Key",
                "application/json",
                Buffer.buffer("{\"value\":1}")),
            422,
            "VALIDATION_FAILED");
    assertThat(body.getString("detail")).startsWith("key:");
  }

  @Test
  void unexpectedFailuresAre500WithoutInternals() {
    JsonObject body =
        assertStandardError(send(HttpMethod.GET, "/test/boom", null, null), 500, "INTERNAL_ERROR");
    assertThat(body.encode())
        .doesNotContain("secret internals")
        .doesNotContain("IllegalStateException");
  }

  @Test
  void saneRequestIdsAreKeptOthersReplaced() {
    HttpResponse<Buffer> kept =
        await(lab.web.get("/health/live").putHeader("X-Request-Id", "proxy-abc.123_x").send());
    assertThat(kept.getHeader("X-Request-Id")).isEqualTo("proxy-abc.123_x");
    HttpResponse<Buffer> replaced =
        await(
            lab.web
                .get("/health/live")
                .putHeader(
                    "X-Request-Id", "bad id with spaces and a very long tail " + "x".repeat(80))
                .send());
    assertThat(replaced.getHeader("X-Request-Id")).matches("[0-9a-f-]{36}");
    HttpResponse<Buffer> generated = await(lab.web.get("/health/live").send());
    assertThat(generated.getHeader("X-Request-Id")).matches("[0-9a-f-]{36}");
  }

  @Test
  void a405NamesTheAllowedMethods() {
    HttpResponse<Buffer> health = send(HttpMethod.DELETE, "/health", null, null);
    assertStandardError(health, 405, "METHOD_NOT_ALLOWED");
    assertThat(health.getHeader("Allow")).isEqualTo("GET");
    HttpResponse<Buffer> device = send(HttpMethod.POST, "/api/devices/some-id", null, null);
    assertStandardError(device, 405, "METHOD_NOT_ALLOWED");
    assertThat(device.getHeader("Allow")).isEqualTo("DELETE, GET, PATCH");
  }

  @Test
  void loginAnswersOtherMethods405EvenWithoutCredentials() {
    HttpResponse<Buffer> response = await(lab.web.get("/api/auth/login").send());
    assertStandardError(response, 405, "METHOD_NOT_ALLOWED");
    assertThat(response.getHeader("Allow")).isEqualTo("POST");
  }

  private HttpResponse<Buffer> login(String contentType, String body) {
    return await(
        lab.web
            .post("/api/auth/login")
            .putHeader("Content-Type", contentType)
            .sendBuffer(Buffer.buffer(body)));
  }

  @Test
  void aDuplicateKeyIs400EvenWhenTheLastValueIsRight() {
    JsonObject body =
        assertStandardError(
            login(
                "application/json",
                "{\"token\":\"wrong\",\"token\":\"" + ServerTesting.ACCESS_TOKEN + "\"}"),
            400,
            "MALFORMED_JSON");
    assertThat(body.getString("detail")).contains("duplicate").contains("token");
  }

  @Test
  void jsonBeyondRfc8259Is400() {
    String token = ServerTesting.ACCESS_TOKEN;
    assertStandardError(
        login("application/json", "{\"token\":\"" + token + "\" /* hi */}"), 400, "MALFORMED_JSON");
    assertStandardError(
        login("application/json", "// hi\n{\"token\":\"" + token + "\"}"), 400, "MALFORMED_JSON");
    assertStandardError(
        login("application/json", "{\"token\":\"" + token + "\"} {}"), 400, "MALFORMED_JSON");
    assertStandardError(
        login("application/json", "{\"token\":\"\\ud800" + token + "\"}"), 400, "MALFORMED_JSON");
    assertStandardError(
        send(
            HttpMethod.PUT,
            "/api/settings/huge",
            "application/json",
            Buffer.buffer("{\"value\": 1e400}")),
        400,
        "MALFORMED_JSON");
    assertThat(send(HttpMethod.GET, "/api/settings/huge", null, null).statusCode()).isEqualTo(404);
  }

  @Test
  void onlyApplicationJsonInUtf8IsAccepted() {
    String body = "{\"token\":\"" + ServerTesting.ACCESS_TOKEN + "\"}";
    assertStandardError(login("application/jsonx", body), 415, "UNSUPPORTED_MEDIA_TYPE");
    assertStandardError(
        login("application/json; charset=utf-16", body), 415, "UNSUPPORTED_MEDIA_TYPE");
    assertThat(login("application/json; charset=UTF-8", body).statusCode()).isEqualTo(200);
    assertThat(login("Application/JSON", body).statusCode()).isEqualTo(200);
    assertThat(login("application/json;", body).statusCode()).isEqualTo(200);
    // A form body is not parsed (and a broken one is not a 400) before the media type is refused.
    assertStandardError(
        login("application/x-www-form-urlencoded", "{\"name\":\"%\"}"),
        415,
        "UNSUPPORTED_MEDIA_TYPE");
    // UTF-16 declared as plain application/json: Jackson alone would guess the encoding.
    JsonObject utf16 =
        assertStandardError(
            await(
                lab.web
                    .post("/api/auth/login")
                    .putHeader("Content-Type", "application/json")
                    .sendBuffer(
                        Buffer.buffer(body.getBytes(java.nio.charset.StandardCharsets.UTF_16LE)))),
            400,
            "MALFORMED_JSON");
    assertThat(utf16.getString("error_code")).isEqualTo("MALFORMED_JSON");
    Buffer latin1 = Buffer.buffer("{\"token\":\"caf").appendByte((byte) 0xE9).appendString("\"}");
    JsonObject notUtf8 =
        assertStandardError(
            await(
                lab.web
                    .post("/api/auth/login")
                    .putHeader("Content-Type", "application/json")
                    .sendBuffer(latin1)),
            400,
            "MALFORMED_JSON");
    assertThat(notUtf8.getString("detail")).contains("UTF-8");
  }
}
