package dev.homelab.server;

import static dev.homelab.core.testing.VertxTesting.await;
import static dev.homelab.core.testing.VertxTesting.awaitFailure;
import static org.assertj.core.api.Assertions.assertThat;

import dev.homelab.client.HomelabClient;
import dev.homelab.client.HomelabHttpException;
import dev.homelab.client.HomelabValidationException;
import dev.homelab.client.audit.AuditQuery;
import dev.homelab.client.devices.NewDevice;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Strings with control characters (U+0000 above all, which PostgreSQL cannot store) are refused
 * with 422 naming the field, the same way on both stores, and never turn into a 5xx or an error log
 * line. Subclasses supply the store.
 */
abstract class ControlCharacterContract {

  private static final String NUL = "\u0000";

  @RegisterExtension final LogCapture logs = new LogCapture();

  /**
   * @return the running server of the subclass's store
   */
  abstract ServerTesting lab();

  private static HomelabHttpException refused(Supplier<io.vertx.core.Future<?>> call) {
    Throwable failure = awaitFailure(call.get());
    assertThat(failure).isInstanceOf(HomelabHttpException.class);
    return (HomelabHttpException) failure;
  }

  private static void assertInvalid(HomelabHttpException e, String field) {
    assertThat(e.status()).isEqualTo(422);
    assertThat(e.errorCode()).isEqualTo("VALIDATION_FAILED");
    assertThat(e.detail()).startsWith(field + ":");
    assertThat(e)
        .isInstanceOfSatisfying(
            HomelabValidationException.class,
            invalid -> assertThat(invalid.field()).isEqualTo(field));
  }

  @Test
  void deviceFieldsWithNulAre422AndCreateNothing() {
    HomelabClient client = lab().client;
    int before = await(client.devices().list()).items().size();
    assertInvalid(
        refused(
            () -> client.devices().create(new NewDevice("door" + NUL + "reader", "rfid_reader"))),
        "name");
    assertInvalid(
        refused(
            () ->
                client
                    .devices()
                    .create(new NewDevice("door", "rfid_reader", "front" + NUL, new JsonObject()))),
        "description");
    assertInvalid(
        refused(
            () ->
                client
                    .devices()
                    .create(
                        new NewDevice(
                            "door",
                            "rfid_reader",
                            null,
                            new JsonObject().put("room", "hall" + NUL)))),
        "metadata.room");
    assertInvalid(
        refused(
            () ->
                client
                    .devices()
                    .create(
                        new NewDevice(
                            "door", "rfid_reader", null, new JsonObject().put("k" + NUL, 1)))),
        "metadata.k" + NUL);
    assertThat(await(client.devices().list()).items()).hasSize(before);
  }

  @Test
  void settingsKeysAndAuditFiltersWithNulAre422() {
    HomelabClient client = lab().client;
    assertInvalid(refused(() -> client.settings().put("theme", "dark" + NUL)), "value");
    assertInvalid(refused(() -> client.settings().put("the" + NUL + "me", "dark")), "key");
    assertInvalid(refused(() -> client.auth().createKey("bot" + NUL)), "name");
    assertInvalid(
        refused(
            () ->
                client
                    .audit()
                    .list(new AuditQuery("login" + NUL, null, null, null, null, null, null))),
        "action");
    assertThat(await(client.auth().keys())).noneMatch(key -> key.name().contains(NUL));
  }

  @Test
  void aLoginWithNulIs422AndLogsNoError() {
    HomelabClient anonymous = lab().newClient(null);
    assertInvalid(
        refused(() -> anonymous.auth().login("ad" + NUL + "min", "password")), "username");
    assertInvalid(
        refused(() -> anonymous.auth().login("token" + NUL + "-of-enough-length")), "token");
  }

  @Test
  void otherControlCharactersAreRefusedButLineBreaksInTextAreKept() {
    HomelabClient client = lab().client;
    assertInvalid(refused(() -> client.settings().put("motd", "bell\u0007")), "value");
    assertInvalid(refused(() -> client.settings().put("motd", "c1\u0085")), "value");
    assertThat(await(client.settings().put("motd", "line one\nline two\tend")).value())
        .isEqualTo("line one\nline two\tend");
  }

  @Test
  void pathAndQueryParametersWithControlCharactersAre422() {
    HttpResponse<Buffer> path = await(lab().webAdmin.get("/api/devices/abc%00def").send());
    assertThat(path.statusCode()).isEqualTo(422);
    assertThat(path.bodyAsJsonObject().getString("detail")).startsWith("id:");
    HttpResponse<Buffer> query = await(lab().webAdmin.get("/api/audit?actor_id=%01").send());
    assertThat(query.statusCode()).isEqualTo(422);
    assertThat(query.bodyAsJsonObject().getString("detail")).startsWith("actor_id:");
    HttpResponse<Buffer> malformed = await(lab().webAdmin.get("/api/audit?action=%zz").send());
    assertThat(malformed.statusCode()).isEqualTo(400);
  }
}
