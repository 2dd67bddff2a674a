package dev.homelab.server;

import static dev.homelab.core.testing.VertxTesting.await;
import static dev.homelab.core.testing.VertxTesting.awaitFailure;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.homelab.client.HomelabHttpException;
import dev.homelab.client.HomelabNotFoundException;
import dev.homelab.client.audit.AuditEntry;
import dev.homelab.client.audit.AuditQuery;
import dev.homelab.client.system.Setting;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** /api/settings through the client, async and blocking, against a real server. */
class SettingsApiTest {

  @TempDir static Path dir;
  static ServerTesting lab;

  @BeforeAll
  static void start() {
    lab = ServerTesting.start(dir);
  }

  @AfterAll
  static void stop() {
    lab.close();
  }

  @Test
  void changesAreAuditedByKeyWithoutTheirValue() {
    await(lab.client.settings().put("audited.key", "private-value"));
    await(lab.client.settings().delete("audited.key"));

    assertThat(
            await(lab.client.audit().list(AuditQuery.create().withAction("setting.changed")))
                .items()
                .stream()
                .filter(entry -> entry.target().equals("setting:audited.key")))
        .singleElement()
        .satisfies(
            entry -> {
              assertThat(entry.target()).isEqualTo("setting:audited.key");
              assertThat(entry.detail().encode()).doesNotContain("private-value");
            });
    assertThat(
            await(lab.client.audit().list(AuditQuery.create().withAction("setting.deleted")))
                .items())
        .extracting(AuditEntry::target)
        .contains("setting:audited.key");
  }

  @Test
  void putGetListDelete() {
    JsonObject dashboard =
        new JsonObject()
            .put("theme", "dark")
            .put("cards", new JsonArray().add("proxmox").add("frigate"));
    Setting stored = await(lab.client.settings().put("dashboard.layout", dashboard));
    assertThat(stored.key()).isEqualTo("dashboard.layout");
    assertThat(stored.value()).isEqualTo(dashboard);

    assertThat(await(lab.client.settings().get("dashboard.layout"))).isEqualTo(stored);
    assertThat(await(lab.client.settings().list()))
        .extracting(Setting::key)
        .contains("dashboard.layout");

    await(lab.client.settings().delete("dashboard.layout"));
    assertThat(awaitFailure(lab.client.settings().get("dashboard.layout")))
        .isInstanceOfSatisfying(
            HomelabNotFoundException.class,
            e -> {
              assertThat(e.errorCode()).isEqualTo("SETTING_NOT_FOUND");
              assertThat(e.requestId()).isNotBlank();
              assertThat(e.getMessage()).contains(e.requestId());
            });
    assertThat(awaitFailure(lab.client.settings().delete("dashboard.layout")))
        .isInstanceOf(HomelabNotFoundException.class);
  }

  @Test
  void scalarValuesRoundTrip() {
    assertThat(await(lab.client.settings().put("site.title", "Garage lab")).value())
        .isEqualTo("Garage lab");
    assertThat(await(lab.client.settings().put("refresh.seconds", 15)).value()).isEqualTo(15);
    assertThat(await(lab.client.settings().put("beta", true)).value()).isEqualTo(true);
    assertThat(await(lab.client.settings().get("refresh.seconds")).value()).isEqualTo(15);
  }

  @Test
  void invalidInputIsRefusedWith422() {
    assertThat(awaitFailure(lab.client.settings().put("UPPER", 1)))
        .isInstanceOfSatisfying(
            HomelabHttpException.class,
            e -> {
              assertThat(e.status()).isEqualTo(422);
              assertThat(e.errorCode()).isEqualTo("VALIDATION_FAILED");
              assertThat(e.detail()).startsWith("key:");
            });
    assertThat(awaitFailure(lab.client.settings().put("no.value", null)))
        .isInstanceOfSatisfying(
            HomelabHttpException.class, e -> assertThat(e.detail()).startsWith("value:"));
    assertThat(awaitFailure(lab.client.settings().get("no.value")))
        .isInstanceOf(HomelabNotFoundException.class);
  }

  @Test
  void theBlockingFacadeMirrorsTheAsyncApi() {
    var blocking = lab.client.blocking().settings();
    assertThat(blocking.put("blocking.key", "v").value()).isEqualTo("v");
    assertThat(blocking.get("blocking.key").value()).isEqualTo("v");
    assertThat(blocking.list()).extracting(Setting::key).contains("blocking.key");
    blocking.delete("blocking.key");
    assertThatThrownBy(() -> blocking.get("blocking.key"))
        .isInstanceOf(HomelabNotFoundException.class)
        .hasCauseInstanceOf(HomelabNotFoundException.class)
        .satisfies(
            e ->
                assertThat(e.getStackTrace())
                    .as("the caller's frame is in the trace")
                    .anySatisfy(
                        frame ->
                            assertThat(frame.getClassName())
                                .startsWith(SettingsApiTest.class.getName())));
  }
}
