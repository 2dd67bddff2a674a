package dev.homelab.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.homelab.server.features.ServerFeatures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Each configuration key is declared once, in {@link ConfigKeys}: {@code .env.example} is exactly
 * what the declarations render, {@code docs/configuration.md} describes every key with its default,
 * and secrets are masked by construction.
 */
class ConfigKeysTest {

  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

  @Test
  void envExampleIsRenderedFromTheDeclarations() throws IOException {
    assertThat(Files.readString(ROOT.resolve(".env.example")))
        .as(
            ".env.example differs from ConfigKeys.envExample(): regenerate it from the declarations")
        .isEqualTo(ConfigKeys.envExample());
  }

  @Test
  void theDocsDescribeEveryKeyWithItsDefault() throws IOException {
    String docs = Files.readString(ROOT.resolve("docs/configuration.md"));
    for (ConfigKey key : ConfigKeys.ALL) {
      Matcher row = Pattern.compile("\\| `" + key.name() + "` \\| ([^|]*) \\|").matcher(docs);
      assertThat(row.find()).as("a docs row for " + key.name()).isTrue();
      String shown = row.group(1).strip();
      if (key.defaultValue().isEmpty()) {
        assertThat(shown).as(key.name()).isNotEmpty();
      } else {
        assertThat(shown).as(key.name()).startsWith(key.defaultValue());
      }
    }
    int secrets = docs.indexOf("Secrets (");
    assertThat(secrets).isNotNegative();
    String paragraph = docs.substring(secrets, docs.indexOf("\n\n", secrets));
    ServerConfig.SECRET_KEYS.forEach(
        name -> assertThat(paragraph).as("the secrets paragraph").contains("`" + name + "`"));
    for (ConfigKey key : ConfigKeys.ALL) {
      if (key.isTemplate() && key.type() == ConfigKey.Type.SECRET) {
        assertThat(paragraph).as("the secrets paragraph").contains("`" + key.name() + "`");
      }
    }
  }

  @Test
  void secretsAreDocumentedAsSecretsAndOnlyThey() {
    for (ConfigKey key : ConfigKeys.ALL) {
      if (key.doc() == null) {
        continue;
      }
      if (key.type() == ConfigKey.Type.SECRET) {
        assertThat(key.doc()).as(key.name()).startsWith("Secret.").contains("Never logged.");
      } else {
        assertThat(key.doc()).as(key.name()).doesNotStartWith("Secret.");
      }
    }
  }

  @Test
  void toStringMasksEverySecretByConstruction() {
    Map<String, String> values = new HashMap<>();
    for (String name : ServerConfig.SECRET_KEYS) {
      values.put(name, "redis://" + name.toLowerCase() + "-Value-0123456789abcdef-XYZ");
    }
    values.put("DATABASE_URL", "postgres://homelab:db-Pa55-in-url@db.lan:5432/homelab");
    String shown = ServerConfig.of(values).toString();
    values.values().forEach(value -> assertThat(shown).doesNotContain(value));
    assertThat(shown).doesNotContain("db-Pa55-in-url").contains("homelab:***@db.lan");
    for (ConfigKey key : ConfigKeys.ALL) {
      if (!key.isTemplate()) { // shown per listed id: templatesAreDeclaredOnceAndExpandedPerId
        assertThat(shown).contains(key.name() + "=");
      }
    }
  }

  @Test
  void rangesAndChoicesComeFromTheDeclarations() {
    assertThat(ServerConfig.of(Map.of("PORT", "65536")).problems())
        .containsExactly("PORT must be between 0 and 65535, got 65536");
    assertThat(ServerConfig.of(Map.of("ACCESS_LOG_MODE", "later")).problems())
        .containsExactly("ACCESS_LOG_MODE must be one of durable, async, got 'later'");
    assertThat(ServerConfig.of(Map.of("ACCESS_LOG_MODE", "ASYNC")).problems()).isEmpty();
  }

  @Test
  void templatesAreDeclaredOnceAndExpandedPerId() {
    ConfigKey url = ConfigKeys.get("PROXMOX_<ID>_URL");
    assertThat(url.isTemplate()).isTrue();
    assertThat(url.idsKey()).isEqualTo(ConfigKeys.PROXMOX_SERVERS);
    assertThat(ConfigKeys.get(url.idsKey()).type()).isEqualTo(ConfigKey.Type.LIST);
    assertThat(url.expand("smart-home").name()).isEqualTo("PROXMOX_SMART_HOME_URL");
    assertThat(url.expand("smart-home").isTemplate()).isFalse();
    assertThat(ConfigKeys.templateOf("PROXMOX_SMART_HOME_TOKEN_SECRET"))
        .isEqualTo(ConfigKeys.get("PROXMOX_<ID>_TOKEN_SECRET"));
    assertThat(ConfigKeys.templateOf("PROXMOX_SERVERS")).isNull();
    assertThat(ConfigKeys.templateOf("PORT")).isNull();
    assertThat(ServerConfig.DEFAULTS).doesNotContainKey("PROXMOX_<ID>_URL");
    for (ConfigKey key : ConfigKeys.ALL) {
      if (key.isTemplate()) {
        assertThat(ConfigKeys.get(key.idsKey()).section()).isEqualTo(key.section());
        // .env.example shows a template only as a commented example for one id.
        assertThat(ConfigKeys.envExample())
            .contains("\n# " + key.expand(ConfigKeys.EXAMPLE_ID).name() + "=")
            .doesNotContain("\n" + key.expand(ConfigKeys.EXAMPLE_ID).name() + "=");
      }
    }
    String secret = "Pve-Token-Secret-0123456789";
    String shown =
        ServerConfig.of(
                Map.of(
                    "PROXMOX_SERVERS", "nas",
                    "PROXMOX_NAS_URL", "https://10.0.10.10:8006",
                    "PROXMOX_NAS_TOKEN_ID", "root@pam!homelab",
                    "PROXMOX_NAS_TOKEN_SECRET", secret))
            .toString();
    assertThat(shown).doesNotContain(secret).contains("PROXMOX_NAS_TOKEN_SECRET=***");
  }

  @Test
  void everyKeyBelongsToAFeatureOrToTheProcess() {
    for (ConfigKey key : ConfigKeys.ALL) {
      assertThat(key.section())
          .as("the section of " + key.name())
          .isIn(
              java.util.stream.Stream.concat(
                      ServerFeatures.STEPS.stream(), java.util.stream.Stream.of("main"))
                  .toList());
    }
  }

  @Test
  void featureSectionsFeedTheCoreOptionsJsonConstructors() {
    ServerConfig config =
        ServerConfig.of(
            Map.of(
                "ACCESS_LOCKOUT_THRESHOLD", "7",
                "ACCESS_LOG_MODE", "ASYNC",
                "ACCESS_POLICY_REFRESH_SECONDS", "0",
                "EVENTS_REPLAY_SIZE", "42",
                "LEADER_TTL_SECONDS", "9"));
    assertThat(config.problems()).isEmpty();
    assertThat(config.section("access"))
        .isEqualTo(
            new io.vertx.core.json.JsonObject()
                .put("lockoutThreshold", 7)
                .put("lockoutWindowSeconds", 60)
                .put("lockoutSeconds", 300)
                .put("durableLog", false)
                .put("policyRefreshSeconds", 0));
    assertThat(config.accessEngineOptions().getLockoutThreshold()).isEqualTo(7);
    assertThat(config.accessEngineOptions().isDurableLog()).isFalse();
    assertThat(config.eventHubOptions().getReplayBufferSize()).isEqualTo(42);
    assertThat(config.leadershipOptions().getTtl()).isEqualTo(java.time.Duration.ofSeconds(9));
    assertThat(ServerConfig.of(Map.of()).accessEngineOptions().toJson())
        .as("the declared defaults are the engine's own")
        .isEqualTo(new dev.homelab.core.access.AccessEngineOptions().toJson());
  }
}
