package dev.homelab.server;

import static dev.homelab.core.testing.VertxTesting.await;
import static dev.homelab.core.testing.VertxTesting.awaitFailure;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.homelab.client.HomelabClient;
import dev.homelab.client.HomelabClientOptions;
import dev.homelab.client.HomelabConnectionException;
import dev.homelab.client.system.Health;
import io.vertx.core.Promise;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * /health, /health/live and /health/ready through the client, and the client's transport errors.
 */
class HealthApiTest {

  @TempDir Path dir;

  @Test
  void aFreshServerIsHealthyOnSqliteInItsDataDirectory() {
    try (ServerTesting lab = ServerTesting.start(dir)) {
      Health health = await(lab.client.health());
      assertThat(health.isHealthy()).isTrue();
      assertThat(health.database()).isEqualTo("ok");
      assertThat(health.databaseType()).isEqualTo("sqlite");
      assertThat(health.version()).isNotBlank();
      assertThat(health.uptimeSeconds()).isGreaterThanOrEqualTo(0);
      assertThat(Files.isRegularFile(dir.resolve("homelab.db"))).isTrue();
      assertThat(lab.client.blocking().health()).isEqualTo(health);

      assertThat(await(lab.web.get("/health/live").send()).bodyAsJsonObject().getString("status"))
          .isEqualTo("alive");
      var ready = await(lab.web.get("/health/ready").send());
      assertThat(ready.statusCode()).isEqualTo(200);
      assertThat(ready.bodyAsJsonObject().getString("schema_version"))
          .isEqualTo(dev.homelab.core.store.StorageCompatibilityKit.LATEST_SCHEMA_VERSION);
    }
  }

  @Test
  void aLostDatabaseMakesHealthAndReadiness503() {
    try (ServerTesting lab = ServerTesting.start(dir)) {
      await(lab.server.storage().close());
      Health health = await(lab.client.health());
      assertThat(health.status()).isEqualTo("unhealthy");
      assertThat(health.database()).isEqualTo("error");
      var ready = await(lab.web.get("/health/ready").send());
      assertThat(ready.statusCode()).isEqualTo(503);
      assertThat(ready.bodyAsJsonObject().getString("error_code")).isEqualTo("NOT_READY");
      assertThat(await(lab.web.get("/health/live").send()).statusCode()).isEqualTo(200);
    }
  }

  @Test
  void anUnreachableServerIsAConnectionException() {
    HomelabClient client =
        HomelabClient.create(
            new HomelabClientOptions().setBaseUrl("http://127.0.0.1:1").setTimeoutMs(2_000));
    try {
      assertThat(awaitFailure(client.health()))
          .isInstanceOf(HomelabConnectionException.class)
          .hasMessageContaining("127.0.0.1:1");
      assertThatThrownBy(() -> client.blocking().health())
          .isInstanceOf(HomelabConnectionException.class)
          .hasCauseInstanceOf(HomelabConnectionException.class);
    } finally {
      await(client.close());
    }
  }

  @Test
  void theBlockingFacadeRefusesToBlockAnEventLoop() {
    try (ServerTesting lab = ServerTesting.start(dir)) {
      Promise<Throwable> refused = Promise.promise();
      lab.vertx.runOnContext(
          v -> {
            try {
              lab.client.blocking().health();
              refused.complete(null);
            } catch (IllegalStateException expected) {
              refused.complete(expected);
            }
          });
      assertThat(await(refused.future()))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("event loop");
    }
  }
}
