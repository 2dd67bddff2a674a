package dev.homelab.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code FRIGATE_*} keys: off when FRIGATE_URL is empty, checked together when it is set. */
class FrigateConfigTest {

  @TempDir Path dir;

  @Test
  void withoutAUrlFrigateIsOffAndItsOtherKeysAreRefused() {
    assertThat(ServerConfig.of(Map.of()).frigateOptions()).isNull();
    assertThat(ServerConfig.of(Map.of("FRIGATE_USER", "admin")).problems())
        .containsExactly(
            "FRIGATE_USER is set but FRIGATE_URL is empty: set FRIGATE_URL or remove FRIGATE_USER");
  }

  @Test
  void theKeysMakeTheClientsOptionsWithThePasswordMasked() {
    ServerConfig config =
        ServerConfig.of(
            Map.of(
                "FRIGATE_URL", "https://nvr.lan:8971",
                "FRIGATE_USER", "admin",
                "FRIGATE_PASSWORD", "frigate-secret-1",
                "FRIGATE_FINGERPRINT", "AB".repeat(32),
                "FRIGATE_TIMEOUT_SECONDS", "7"));
    assertThat(config.problems()).isEmpty();
    var options = config.frigateOptions();
    assertThat(options.getBaseUrl().toString()).isEqualTo("https://nvr.lan:8971");
    assertThat(options.getUsername()).isEqualTo("admin");
    assertThat(options.getPassword()).isEqualTo("frigate-secret-1");
    assertThat(options.getTimeout()).isEqualTo(Duration.ofSeconds(7));
    assertThat(options.getTls().pinnedSha256()).startsWith("ab:ab:");
    assertThat(config.toString())
        .doesNotContain("frigate-secret-1")
        .contains("FRIGATE_PASSWORD=***");
  }

  @Test
  void badValuesAreClearProblems() throws Exception {
    assertThat(ServerConfig.of(Map.of("FRIGATE_URL", "ftp://nvr")).problems())
        .containsExactly("FRIGATE_URL: must start with http:// or https://");
    assertThat(ServerConfig.of(Map.of("FRIGATE_URL", "http://u:p@nvr:5000")).problems())
        .containsExactly("FRIGATE_URL: must not hold a user, a query or a fragment");
    assertThat(
            ServerConfig.of(Map.of("FRIGATE_URL", "http://nvr:5000", "FRIGATE_USER", "admin"))
                .problems())
        .containsExactly(
            "FRIGATE_USER and FRIGATE_PASSWORD: give both a user and a password, or neither");
    assertThat(
            ServerConfig.of(
                    Map.of("FRIGATE_URL", "http://nvr:5000", "FRIGATE_INSECURE_TLS", "true"))
                .problems())
        .containsExactly(
            "FRIGATE_FINGERPRINT, FRIGATE_CA_FILE and FRIGATE_INSECURE_TLS apply to an https"
                + " FRIGATE_URL only");
    Path pem = Files.writeString(dir.resolve("ca.pem"), "-----BEGIN CERTIFICATE-----\n");
    assertThat(
            ServerConfig.of(
                    Map.of(
                        "FRIGATE_URL", "https://nvr:8971",
                        "FRIGATE_CA_FILE", pem.toString(),
                        "FRIGATE_INSECURE_TLS", "true"))
                .problems())
        .containsExactly(
            "FRIGATE_FINGERPRINT, FRIGATE_CA_FILE and FRIGATE_INSECURE_TLS: choose one of a CA"
                + " file, a pinned fingerprint or insecure, not several");
    assertThat(
            ServerConfig.of(Map.of("FRIGATE_URL", "https://nvr:8971", "FRIGATE_FINGERPRINT", "ab"))
                .problems())
        .singleElement()
        .asString()
        .startsWith("FRIGATE_FINGERPRINT: ");
    assertThat(
            ServerConfig.of(
                    Map.of("FRIGATE_URL", "https://nvr:8971", "FRIGATE_CA_FILE", "/no/such.pem"))
                .problems())
        .containsExactly("FRIGATE_CA_FILE names /no/such.pem, which is not a readable file");
    assertThat(
            ServerConfig.of(
                    Map.of("FRIGATE_URL", "http://nvr:5000", "FRIGATE_TIMEOUT_SECONDS", "0"))
                .problems())
        .containsExactly("FRIGATE_TIMEOUT_SECONDS must be between 1 and 300, got 0");
  }
}
