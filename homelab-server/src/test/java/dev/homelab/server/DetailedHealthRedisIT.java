package dev.homelab.server;

import static dev.homelab.core.testing.VertxTesting.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.homelab.client.system.DetailedHealth;
import dev.homelab.core.testing.RedisTesting;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With {@code REDIS_URL}, {@code GET /api/health/detailed} pings the real Redis on loopback, and
 * its URL appears nowhere in the report.
 */
class DetailedHealthRedisIT {

  @TempDir Path dir;

  @Test
  void redisIsPingedWithTheDatabase() {
    Map<String, String> settings =
        Map.of(
            "REDIS_URL",
            RedisTesting.URL,
            "REDIS_KEY_PREFIX",
            "homelab-it-" + UUID.randomUUID() + ":");
    try (ServerTesting lab = ServerTesting.start(dir, settings)) {
      DetailedHealth health = await(lab.client.system().detailedHealth());
      assertThat(health.status()).isEqualTo("healthy");
      assertThat(health.redis()).isNotNull();
      assertThat(health.redis().kind()).isEqualTo("redis");
      assertThat(health.redis().reachable()).isTrue();
      assertThat(health.redis().latencyMs()).isNotNull().isNotNegative();
      assertThat(health.upstreams()).noneMatch(DetailedHealth.Upstream::configured);
      String body = await(lab.webAdmin.get("/api/health/detailed").send()).bodyAsString();
      assertThat(body).doesNotContain("6379").doesNotContain("redis://");
    }
  }
}
