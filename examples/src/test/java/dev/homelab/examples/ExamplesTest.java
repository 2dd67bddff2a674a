package dev.homelab.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.homelab.core.store.Setting;
import dev.homelab.core.store.StorageOptions;
import dev.homelab.server.HomelabServer;
import dev.homelab.server.ServerConfig;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs every example, so that they (and the docs snippets copied from them) cannot rot unseen. */
class ExamplesTest {

  @TempDir Path dir;
  Vertx vertx;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void stop() {
    vertx.close().await();
  }

  @Test
  void storageExample() {
    var settings =
        StorageExample.run(
                vertx, new StorageOptions().setSqlitePath(dir.resolve("x.db").toString()))
            .await();
    assertThat(settings)
        .extracting(Setting::key)
        .containsExactly("dashboard.layout", "dashboard.title");
  }

  @Test
  void eventHubExample() {
    assertThat(EventHubExample.run(vertx).await().payload().getDouble("temperature"))
        .isEqualTo(21.5);
  }

  @Test
  void clientExample() {
    HomelabServer server =
        HomelabServer.start(
                vertx,
                ServerConfig.of(Map.of("PORT", "0", "DATA_DIR", dir.toString(), "LOG_DIR", "")),
                null)
            .await();
    try {
      assertThat(ClientExample.run("http://127.0.0.1:" + server.port()))
          .isEqualTo("healthy on sqlite, title = Garage lab");
    } finally {
      server.shutdown(Duration.ofSeconds(5)).await();
    }
  }
}
