package dev.homelab.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.homelab.core.upstream.proxmox.ProxmoxServerOptions;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The Proxmox servers' configuration: {@code PROXMOX_SERVERS} and the {@code PROXMOX_<ID>_*}
 * templates, expanded for each listed id, checked with problems that name the key.
 */
class ProxmoxConfigTest {

  private static final String SECRET = "0a1b2c3d-4e5f-6789-abcd-ef0123456789";
  private static final String PIN =
      "ab:cd:ef:01:23:45:67:89:ab:cd:ef:01:23:45:67:89:ab:cd:ef:01:23:45:67:89:ab:cd:ef:01:23:45:67:89";

  private static Map<String, String> nas() {
    Map<String, String> values = new HashMap<>();
    values.put("PROXMOX_SERVERS", "nas, smart-home");
    values.put("PROXMOX_NAS_URL", "https://10.0.10.10:8006");
    values.put("PROXMOX_NAS_NAME", "NAS Server");
    values.put("PROXMOX_NAS_TOKEN_ID", "root@pam!homelab");
    values.put("PROXMOX_NAS_TOKEN_SECRET", SECRET);
    values.put("PROXMOX_NAS_FINGERPRINT", PIN.toUpperCase());
    values.put("PROXMOX_SMART_HOME_URL", "https://10.0.20.10:8006");
    values.put("PROXMOX_SMART_HOME_NODE", "pve");
    values.put("PROXMOX_SMART_HOME_TOKEN_ID", "root@pam!homelab");
    values.put("PROXMOX_SMART_HOME_TOKEN_SECRET", SECRET);
    values.put("PROXMOX_SMART_HOME_INSECURE_TLS", "true");
    values.put("PROXMOX_SMART_HOME_TIMEOUT_SECONDS", "3");
    return values;
  }

  @Test
  void eachListedIdIsBuiltFromItsKeys() {
    ServerConfig config = ServerConfig.of(nas());
    assertThat(config.problems()).isEmpty();
    assertThat(config.proxmoxServers())
        .extracting(ProxmoxServerOptions::id)
        .containsExactly("nas", "smart-home");
    ProxmoxServerOptions nas = config.proxmoxServers().get(0);
    assertThat(nas.name()).isEqualTo("NAS Server");
    assertThat(nas.baseUrl().toString()).isEqualTo("https://10.0.10.10:8006");
    assertThat(nas.node()).isNull();
    assertThat(nas.tls().pinnedSha256()).isEqualTo(PIN);
    assertThat(nas.timeout()).isEqualTo(Duration.ofSeconds(10));
    ProxmoxServerOptions home = config.proxmoxServers().get(1);
    assertThat(home.name()).as("the id when no name is set").isEqualTo("smart-home");
    assertThat(home.node()).isEqualTo("pve");
    assertThat(home.tls().insecure()).isTrue();
    assertThat(home.timeout()).isEqualTo(Duration.ofSeconds(3));
    assertThat(config.toString())
        .doesNotContain(SECRET)
        .contains("PROXMOX_NAS_TOKEN_SECRET=***")
        .contains("PROXMOX_SMART_HOME_URL=https://10.0.20.10:8006");
  }

  @Test
  void noServersIsTheDefault() {
    assertThat(ServerConfig.of(Map.of()).proxmoxServers()).isEmpty();
    assertThat(ServerConfig.of(Map.of()).problems()).isEmpty();
  }

  @Test
  void aListedIdWithoutItsUrlOrTokenIsRefusedNamingTheKey() {
    Map<String, String> values = nas();
    values.remove("PROXMOX_NAS_URL");
    values.remove("PROXMOX_SMART_HOME_TOKEN_SECRET");
    ServerConfig config = ServerConfig.of(values);
    assertThat(config.problems())
        .containsExactlyInAnyOrder(
            "PROXMOX_NAS_URL must be set: nas is listed in PROXMOX_SERVERS",
            "PROXMOX_SMART_HOME_TOKEN_SECRET must be set: smart-home is listed in PROXMOX_SERVERS");
    values = nas();
    values.remove("PROXMOX_NAS_TOKEN_ID");
    assertThat(ServerConfig.of(values).problems())
        .containsExactly("PROXMOX_NAS_TOKEN_ID must be set: nas is listed in PROXMOX_SERVERS");
  }

  @Test
  void badValuesAreRefusedNamingTheKeyWithoutEchoingTheSecret() {
    Map<String, String> values = nas();
    values.put("PROXMOX_NAS_URL", "http://10.0.10.10:8006");
    values.put("PROXMOX_SMART_HOME_TOKEN_SECRET", "has space " + SECRET);
    values.put("PROXMOX_SMART_HOME_TIMEOUT_SECONDS", "0");
    ServerConfig config = ServerConfig.of(values);
    assertThat(config.problems()).hasSize(2);
    assertThat(config.problems().get(0)).startsWith("PROXMOX_NAS_URL: ");
    assertThat(config.problems().get(1))
        .isEqualTo("PROXMOX_SMART_HOME_TIMEOUT_SECONDS must be between 1 and 300, got 0");
    values.put("PROXMOX_SMART_HOME_TIMEOUT_SECONDS", "5");
    values.put("PROXMOX_NAS_URL", "https://10.0.10.10:8006");
    assertThat(ServerConfig.of(values).problems())
        .singleElement()
        .asString()
        .startsWith("PROXMOX_SMART_HOME_TOKEN_SECRET: ")
        .doesNotContain(SECRET);
  }

  @Test
  void trustIsOneWayAtMostAndInsecureIsAnExplicitBoolean() {
    Map<String, String> values = nas();
    values.put("PROXMOX_NAS_INSECURE_TLS", "true");
    assertThat(ServerConfig.of(values).problems())
        .containsExactly(
            "PROXMOX_NAS_FINGERPRINT, PROXMOX_NAS_CA_FILE and PROXMOX_NAS_INSECURE_TLS=true are"
                + " exclusive: set one of them");
    values = nas();
    values.put("PROXMOX_SMART_HOME_INSECURE_TLS", "yes");
    assertThat(ServerConfig.of(values).problems())
        .containsExactly("PROXMOX_SMART_HOME_INSECURE_TLS must be true or false, got 'yes'");
    values = nas();
    values.put("PROXMOX_NAS_FINGERPRINT", "abc");
    assertThat(ServerConfig.of(values).problems())
        .singleElement()
        .asString()
        .startsWith("PROXMOX_NAS_FINGERPRINT: ");
  }

  @Test
  void badIdsAndKeysOfUnlistedIdsAreRefused() {
    Map<String, String> values = nas();
    values.put("PROXMOX_SERVERS", "nas,smart-home,Bad_Id,nas");
    values.put("PROXMOX_ATTIC_URL", "https://10.0.30.10:8006");
    assertThat(ServerConfig.of(values).problems())
        .containsExactlyInAnyOrder(
            "PROXMOX_SERVERS: 'Bad_Id' is not a server id (lower-case letters, digits and '-', at"
                + " most 63)",
            "PROXMOX_SERVERS lists nas twice",
            "PROXMOX_ATTIC_URL is set, but no id listed in PROXMOX_SERVERS is attic");
  }

  @Test
  void aNestedFileKeyIsATemplateKey() {
    // A file may write proxmox: {nas: {url: ...}}: flattened, that is PROXMOX_NAS_URL.
    Map<String, String> values = nas();
    values.remove("PROXMOX_NAS_URL");
    values.put("proxmox.nas.url", "https://10.0.10.10:8006");
    assertThat(ServerConfig.of(values).problems()).isEmpty();
  }
}
