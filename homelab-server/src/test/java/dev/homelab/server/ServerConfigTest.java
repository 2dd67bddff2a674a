package dev.homelab.server;

import static dev.homelab.core.testing.VertxTesting.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.homelab.core.store.StorageKind;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerConfigTest {

  static Vertx vertx;
  @TempDir Path dir;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stop() {
    await(vertx.close());
  }

  private ServerConfig load(Map<String, String> env, Properties sys) {
    return await(ServerConfig.load(vertx, env, sys));
  }

  @Test
  void theMqttKeysMakeTheBridgesOptions() {
    assertThat(ServerConfig.of(Map.of()).mqttOptions()).as("off without MQTT_URL").isNull();
    assertThat(ServerConfig.of(Map.of("MQTT_PASSWORD", "set-for-compose")).problems())
        .as("compose's account keys are no problem while the bridge is off")
        .isEmpty();
    ServerConfig config =
        ServerConfig.of(
            Map.of(
                "MQTT_URL", "mqtt://broker.lan:1883",
                "MQTT_PASSWORD", "mqtt-secret",
                "MQTT_SUBSCRIPTIONS", "zigbee2mqtt/+, homelab/#"));
    assertThat(config.problems()).isEmpty();
    dev.homelab.core.mqtt.MqttBridgeOptions options = config.mqttOptions();
    assertThat(options.getHost()).isEqualTo("broker.lan");
    assertThat(options.getUsername()).isEqualTo("homelab");
    assertThat(options.getPassword()).isEqualTo("mqtt-secret");
    assertThat(options.getSubscriptions()).containsExactly("zigbee2mqtt/+", "homelab/#");
    assertThat(options.getClientId()).startsWith("homelab-");
    assertThat(config.toString()).doesNotContain("mqtt-secret");
    assertThat(
            ServerConfig.of(Map.of("MQTT_URL", "mqtt://broker.lan", "MQTT_PASSWORD", "x"))
                .mqttOptions()
                .getClientId())
        .as("a new random client id per start")
        .isNotEqualTo(options.getClientId());
    assertThat(
            ServerConfig.of(Map.of("MQTT_URL", "mqtt://broker.lan", "MQTT_SUBSCRIPTIONS", "a/#/b"))
                .problems())
        .singleElement()
        .asString()
        .startsWith("MQTT_SUBSCRIPTIONS");
    assertThat(
            ServerConfig.of(Map.of("MQTT_URL", "mqtt://broker.lan", "MQTT_INSECURE_TLS", "true"))
                .problems())
        .singleElement()
        .asString()
        .contains("mqtts://");
  }

  @Test
  void theDeviceStateKeysMakeTheRecordersOptions() {
    dev.homelab.core.telemetry.DeviceStateOptions defaults =
        ServerConfig.of(Map.of()).deviceStateOptions();
    assertThat(defaults.baseTopics()).containsExactly("zigbee2mqtt");
    assertThat(defaults.retention()).isEqualTo(java.time.Duration.ofDays(30));
    ServerConfig config =
        ServerConfig.of(
            Map.of(
                "MQTT_ZIGBEE2MQTT_BASE_TOPICS", "zigbee2mqtt, lab/z2m",
                "MQTT_STATE_RETENTION_DAYS", "7"));
    assertThat(config.problems()).isEmpty();
    assertThat(config.deviceStateOptions().baseTopics()).containsExactly("zigbee2mqtt", "lab/z2m");
    assertThat(config.deviceStateOptions().retention()).isEqualTo(java.time.Duration.ofDays(7));
    assertThat(ServerConfig.of(Map.of("MQTT_ZIGBEE2MQTT_BASE_TOPICS", "z2m/#")).problems())
        .singleElement()
        .asString()
        .startsWith("MQTT_ZIGBEE2MQTT_BASE_TOPICS");
    assertThat(ServerConfig.of(Map.of("MQTT_STATE_RETENTION_DAYS", "0")).problems())
        .singleElement()
        .asString()
        .startsWith("MQTT_STATE_RETENTION_DAYS");
  }

  @Test
  void theGatewayKeysMakeItsOptionsAndTheReadersTopic() {
    ServerConfig defaults = ServerConfig.of(Map.of());
    assertThat(defaults.mqttGatewayOptions())
        .isEqualTo(
            new dev.homelab.server.mqtt.MqttGatewayOptions(
                "127.0.0.1", 1884, 1000, 65536, 300, 10));
    assertThat(defaults.mqttAccessTopic()).isEqualTo("homelab/access");
    ServerConfig set =
        ServerConfig.of(
            Map.of(
                "HOST", "0.0.0.0",
                "MQTT_GATEWAY_PORT", "0",
                "MQTT_GATEWAY_MAX_CONNECTIONS", "5",
                "MQTT_ACCESS_TOPIC", "site/doors"));
    assertThat(set.problems()).isEmpty();
    assertThat(set.mqttGatewayOptions().host()).as("HOST's when empty").isEqualTo("0.0.0.0");
    assertThat(set.mqttGatewayOptions().enabled()).isFalse();
    assertThat(set.mqttGatewayOptions().maxConnections()).isEqualTo(5);
    assertThat(set.mqttAccessTopic()).isEqualTo("site/doors");
    assertThat(ServerConfig.of(Map.of("MQTT_GATEWAY_HOST", "10.0.0.2")).mqttGatewayOptions().host())
        .isEqualTo("10.0.0.2");
    assertThat(ServerConfig.of(Map.of("MQTT_ACCESS_TOPIC", "doors/#")).problems())
        .singleElement()
        .asString()
        .startsWith("MQTT_ACCESS_TOPIC");
    assertThat(ServerConfig.of(Map.of("MQTT_GATEWAY_PORT", "70000")).problems())
        .singleElement()
        .asString()
        .startsWith("MQTT_GATEWAY_PORT");
  }

  @Test
  void noConfigurationMeansTheEmbeddedDefault() {
    ServerConfig config = load(Map.of(), new Properties());
    assertThat(config.problems()).isEmpty();
    assertThat(config.host()).isEqualTo("127.0.0.1");
    assertThat(config.port()).isEqualTo(8000);
    assertThat(config.env()).isEqualTo("production");
    assertThat(config.logLevel()).isEqualTo("INFO");
    assertThat(config.storage().kind()).isEqualTo(StorageKind.SQLITE);
    assertThat(Path.of(config.storage().resolvedSqlitePath()))
        .isEqualTo(Path.of("data", "homelab.db"));
    assertThat(config.metricsAccess()).isEqualTo(ServerConfig.MetricsAccess.OPEN);
  }

  @Test
  void layersAreDefaultsThenFileThenSystemPropertiesThenEnvironment() throws IOException {
    Path file = dir.resolve("homelab.json");
    Files.writeString(
        file,
        "{\"PORT\": 9000, \"host\": \"0.0.0.0\", \"LOG_LEVEL\": \"warning\", \"DATA_DIR\": \"/srv/lab\"}");
    Properties sys = new Properties();
    sys.setProperty("homelab.log_level", "debug");
    sys.setProperty("homelab.port", "9100");
    ServerConfig config =
        load(Map.of("HOMELAB_CONFIG", file.toString(), "PORT", "9200", "UNRELATED", "x"), sys);
    assertThat(config.problems()).isEmpty();
    assertThat(config.port()).isEqualTo(9200);
    assertThat(config.host()).isEqualTo("0.0.0.0");
    assertThat(config.logLevel()).isEqualTo("DEBUG");
    assertThat(config.storage().resolvedSqlitePath())
        .isEqualTo(Path.of("/srv/lab/homelab.db").toString());
  }

  @Test
  void yamlFilesMayNestKeys() throws IOException {
    Path file = dir.resolve("homelab.yaml");
    Files.writeString(
        file,
        """
        env: development
        database:
          url: postgres://homelab:pw@db.lan:5433/homelab
          pool_size: 4
        metrics:
          access: token
          token: a-long-enough-token
        """);
    ServerConfig config = load(Map.of("HOMELAB_CONFIG", file.toString()), new Properties());
    assertThat(config.problems()).isEmpty();
    assertThat(config.env()).isEqualTo("development");
    assertThat(config.logLevel()).as("development defaults to DEBUG").isEqualTo("DEBUG");
    assertThat(config.storage().kind()).isEqualTo(StorageKind.POSTGRESQL);
    assertThat(config.storage().getMaxPoolSize()).isEqualTo(4);
    assertThat(config.metricsAccess()).isEqualTo(ServerConfig.MetricsAccess.TOKEN);
  }

  @Test
  void everyProblemIsReportedAtOnce() throws IOException {
    Path file = dir.resolve("typo.json");
    Files.writeString(file, "{\"PROT\": 8000}");
    ServerConfig config =
        load(
            Map.of(
                "HOMELAB_CONFIG", file.toString(),
                "PORT", "70000",
                "DATABASE_URL", "mysql://root@localhost/db",
                "LOG_LEVEL", "LOUD",
                "METRICS_ACCESS", "token"),
            new Properties());
    assertThat(config.problems())
        .hasSize(5)
        .anySatisfy(p -> assertThat(p).contains("PORT").contains("70000"))
        .anySatisfy(p -> assertThat(p).contains("DATABASE_URL"))
        .anySatisfy(p -> assertThat(p).contains("LOG_LEVEL").contains("LOUD"))
        .anySatisfy(p -> assertThat(p).contains("PROT"))
        .anySatisfy(p -> assertThat(p).contains("METRICS_TOKEN"));
    assertThatThrownBy(config::requireValid)
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("LOUD");
  }

  /** Reliability row A8: no weak or sample secret gets the server started. */
  @Test
  void weakSecretsAndUnsafeOriginsAreRefused() {
    for (String weak :
        List.of(
            "0123456789abcdef",
            "changeme-changeme-changeme-changeme",
            "your-secret-here-0123456789-abcdefgh",
            "a".repeat(40))) {
      assertThat(ServerConfig.of(Map.of("JWT_SECRET", weak)).problems())
          .as(weak)
          .singleElement()
          .asString()
          .startsWith("JWT_SECRET")
          .doesNotContain(weak);
    }
    assertThat(ServerConfig.of(Map.of("JWT_SECRET", "k3J9-qW2x!Lm8#Zp4Rt7vB1nY6cH0sDf")).problems())
        .isEmpty();
    assertThat(ServerConfig.of(Map.of("ACCESS_TOKEN", "short")).problems())
        .singleElement()
        .asString()
        .startsWith("ACCESS_TOKEN");
    assertThat(ServerConfig.of(Map.of("CORS_ORIGINS", "*")).problems())
        .singleElement()
        .asString()
        .startsWith("CORS_ORIGINS");
    assertThat(ServerConfig.of(Map.of("TRUSTED_PROXIES", "10.0.0.0/33, proxy.lan")).problems())
        .singleElement()
        .asString()
        .startsWith("TRUSTED_PROXIES");
    assertThat(ServerConfig.of(Map.of("REDIS_URL", "localhost:6379")).problems())
        .singleElement()
        .asString()
        .startsWith("REDIS_URL");
    ServerConfig secrets =
        ServerConfig.of(
            Map.of(
                "ACCESS_TOKEN", "access-token-value-123",
                "JWT_SECRET", "k3J9-qW2x!Lm8#Zp4Rt7vB1nY6cH0sDf",
                "REDIS_URL", "redis://:redis-password@127.0.0.1:6379"));
    assertThat(secrets.toString())
        .doesNotContain("access-token-value-123")
        .doesNotContain("k3J9-qW2x")
        .doesNotContain("redis-password");
  }

  @Test
  void accessSettingsReachTheEngineOptions() {
    var defaults = ServerConfig.of(Map.of()).accessEngineOptions();
    assertThat(defaults.isDurableLog()).isTrue();
    assertThat(defaults.getLockoutThreshold()).isEqualTo(5);
    var custom =
        ServerConfig.of(
                Map.of(
                    "ACCESS_LOG_MODE", "ASYNC",
                    "ACCESS_LOCKOUT_THRESHOLD", "0",
                    "ACCESS_LOCKOUT_WINDOW_SECONDS", "30",
                    "ACCESS_LOCKOUT_SECONDS", "900",
                    "ACCESS_POLICY_REFRESH_SECONDS", "0"))
            .accessEngineOptions();
    assertThat(custom.isDurableLog()).isFalse();
    assertThat(custom.getLockoutThreshold()).isZero();
    assertThat(custom.getLockoutWindowSeconds()).isEqualTo(30);
    assertThat(custom.getLockoutSeconds()).isEqualTo(900);
    assertThat(custom.getPolicyRefreshSeconds()).isZero();
    assertThat(
            ServerConfig.of(Map.of("ACCESS_LOG_MODE", "sometimes", "ACCESS_LOCKOUT_SECONDS", "0"))
                .problems())
        .anyMatch(p -> p.contains("ACCESS_LOG_MODE"))
        .anyMatch(p -> p.contains("ACCESS_LOCKOUT_SECONDS"));
  }

  @Test
  void unparsableUrlsAndNumbersAreProblems() {
    ServerConfig config =
        ServerConfig.of(
            Map.of(
                "DATABASE_URL",
                "postgres://user@:5432/db",
                "PORT",
                "eighty",
                "MAX_BODY_SIZE",
                "-1"));
    assertThat(config.problems()).hasSize(3);
  }

  @Test
  void aMissingOrBrokenConfigFileIsAProblem() throws IOException {
    assertThat(
            load(Map.of("HOMELAB_CONFIG", dir.resolve("absent.yaml").toString()), new Properties())
                .problems())
        .singleElement()
        .asString()
        .contains("absent.yaml");
    Path broken = dir.resolve("broken.json");
    Files.writeString(broken, "{not json");
    assertThat(load(Map.of("HOMELAB_CONFIG", broken.toString()), new Properties()).problems())
        .singleElement()
        .asString()
        .contains("cannot be parsed");
  }

  @Test
  void theDescriptionHidesSecrets() {
    ServerConfig config =
        ServerConfig.of(
            Map.of(
                "DATABASE_URL", "postgres://homelab:db-password-123@db.lan/homelab",
                "METRICS_ACCESS", "token",
                "METRICS_TOKEN", "metrics-token-456789"));
    assertThat(config.problems()).isEmpty();
    assertThat(config.toString())
        .doesNotContain("db-password-123")
        .doesNotContain("metrics-token-456789")
        .contains("homelab:***@db.lan");
  }

  @Test
  void envExampleAndDocsListEveryKeyWithItsDefault() throws IOException {
    Path root = Path.of("..").toAbsolutePath().normalize();
    Map<String, String> example = new java.util.LinkedHashMap<>();
    for (String line : Files.readAllLines(root.resolve(".env.example"))) {
      if (!line.isBlank() && !line.startsWith("#")) {
        example.put(line.substring(0, line.indexOf('=')), line.substring(line.indexOf('=') + 1));
      }
    }
    assertThat(example.keySet())
        .containsAll(ServerConfig.DEFAULTS.keySet())
        .contains("HOMELAB_CONFIG");
    // Then the compose section: the variables only compose.yaml reads (ComposeFileTest checks
    // them).
    ConfigKeys.COMPOSE.forEach(
        key -> assertThat(example).containsEntry(key.name(), key.defaultValue()));
    assertThat(example.keySet())
        .hasSize(ServerConfig.DEFAULTS.size() + 1 + ConfigKeys.COMPOSE.size());
    ServerConfig.DEFAULTS.forEach(
        (key, value) -> assertThat(example.get(key)).as(key).isEqualTo(value));
    String docs = Files.readString(root.resolve("docs/configuration.md"));
    ServerConfig.DEFAULTS.keySet().forEach(key -> assertThat(docs).contains("| `" + key + "` |"));
  }
}
