package dev.homelab.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The {@code AI_HUB_*} keys: off when AI_HUB_URL is empty, checked together when it is set. */
class AiConfigTest {

  @Test
  void withoutAUrlTheHubIsOffAndItsCredentialsAreRefused() {
    assertThat(ServerConfig.of(Map.of()).aiHubOptions()).isNull();
    assertThat(ServerConfig.of(Map.of("AI_HUB_PASSWORD", "x")).problems())
        .containsExactly(
            "AI_HUB_PASSWORD is set but AI_HUB_URL is empty: set AI_HUB_URL or remove"
                + " AI_HUB_PASSWORD");
  }

  @Test
  void theKeysMakeTheClientsOptionsWithThePasswordMasked() {
    ServerConfig config =
        ServerConfig.of(
            Map.of(
                "AI_HUB_URL", "http://10.99.10.106:9876",
                "AI_HUB_PASSWORD", "hub-secret-1",
                "AI_HUB_TIMEOUT_SECONDS", "42"));
    assertThat(config.problems()).isEmpty();
    var options = config.aiHubOptions();
    assertThat(options.getBaseUrl().toString()).isEqualTo("http://10.99.10.106:9876");
    assertThat(options.getUser()).isEqualTo("admin");
    assertThat(options.getPassword()).isEqualTo("hub-secret-1");
    assertThat(options.getTimeout()).isEqualTo(Duration.ofSeconds(42));
    assertThat(options.toString()).doesNotContain("hub-secret-1");
    assertThat(config.toString()).doesNotContain("hub-secret-1").contains("AI_HUB_PASSWORD=***");
    assertThat(
            ServerConfig.of(Map.of("AI_HUB_URL", "http://hub:1", "AI_HUB_USER", "claude"))
                .aiHubOptions()
                .getUser())
        .isEqualTo("claude");
  }

  @Test
  void badValuesAreClearProblems() {
    assertThat(ServerConfig.of(Map.of("AI_HUB_URL", "ftp://hub")).problems())
        .singleElement()
        .asString()
        .startsWith("AI_HUB_URL: ");
    assertThat(
            ServerConfig.of(Map.of("AI_HUB_URL", "http://hub:1", "AI_HUB_TIMEOUT_SECONDS", "0"))
                .problems())
        .singleElement()
        .asString()
        .startsWith("AI_HUB_TIMEOUT_SECONDS");
    assertThat(
            ServerConfig.of(Map.of("AI_HUB_URL", "http://hub:1", "AI_HUB_USER", "a:b")).problems())
        .singleElement()
        .asString()
        .startsWith("AI_HUB_USER: ");
  }
}
