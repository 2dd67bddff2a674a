package dev.homelab.server;

import static dev.homelab.core.testing.VertxTesting.await;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import dev.homelab.core.testing.PostgresExtension;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** Configured secrets, and secrets sent by clients, never reach the log. */
class SecretsNeverLoggedIT {

  @RegisterExtension static final PostgresExtension PG = new PostgresExtension();

  private static final String DB_PASSWORD = "db-Pa55word-never-logged";
  private static final String METRICS_TOKEN = "metrics-token-never-logged";
  private static final String CLIENT_TOKEN = "client-bearer-never-logged";
  private static final String QUERY_SECRET = "query-secret-never-logged";
  private static final String JWT_SECRET = "jwt-Secret-never-logged-0123456789abcdefXYZ";
  // A url without a password (this Redis has none): the whole value is the secret, and database
  // 11 makes it a string no log line has any other reason to contain.
  private static final String REDIS_URL = "redis://127.0.0.1:6379/11";
  private static final String FRIGATE_PASSWORD = "frigate-Pa55word-never-logged";
  private static final String AI_HUB_PASSWORD = "ai-hub-Pa55word-never-logged";
  private static final String AUTOMATION_PASSWORD = "automation-Pa55word-never-logged";
  private static final String MQTT_PASSWORD = "mqtt-Pa55word-never-logged";
  // A template key's secret (PROXMOX_<ID>_TOKEN_SECRET): not in ServerConfig.SECRET_KEYS, which
  // names plain keys, so checked here by name.
  private static final String PROXMOX_SECRET = "3f9a1c2e-never-logged-4b6a-8c9d0e1f2a3b";

  /** A value for every secret key ConfigKeys declares: a new secret key must be added here. */
  private static final Map<String, String> SECRETS =
      Map.of(
          "METRICS_TOKEN", METRICS_TOKEN,
          "ACCESS_TOKEN", ServerTesting.ACCESS_TOKEN,
          "JWT_SECRET", JWT_SECRET,
          "REDIS_URL", REDIS_URL,
          "FRIGATE_PASSWORD", FRIGATE_PASSWORD,
          "AI_HUB_PASSWORD", AI_HUB_PASSWORD,
          "AUTOMATION_API_PASSWORD", AUTOMATION_PASSWORD,
          "MQTT_PASSWORD", MQTT_PASSWORD);

  @Test
  void thisTestSetsEverySecretKey() {
    assertThat(SECRETS.keySet()).isEqualTo(ServerConfig.SECRET_KEYS);
  }

  @TempDir Path dir;

  @Test
  void noSecretAppearsInAnyLogLine() {
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    ListAppender<ILoggingEvent> captured = new ListAppender<>();
    captured.start();
    root.addAppender(captured);
    io.vertx.core.Vertx upstreams = io.vertx.core.Vertx.vertx();
    try {
      // Real upstreams that need the secrets: Frigate's login, the AI hub's Basic credentials and a
      // Proxmox API token.
      dev.homelab.simulators.aihub.AiHubSimulator aiHub =
          await(
              dev.homelab.simulators.aihub.AiHubSimulator.start(
                  upstreams,
                  dev.homelab.simulators.aihub.AiHubSimulator.Setup.defaults()
                      .withCredentials("homelab", AI_HUB_PASSWORD)));
      dev.homelab.simulators.automation.AutomationSimulator automation =
          await(
              dev.homelab.simulators.automation.AutomationSimulator.start(
                  upstreams,
                  dev.homelab.simulators.automation.AutomationSimulator.Setup.defaults()
                      .withCredentials("homelab", AUTOMATION_PASSWORD)));
      dev.homelab.simulators.frigate.FrigateSimulator frigate =
          await(
              dev.homelab.simulators.frigate.FrigateSimulator.start(
                  upstreams,
                  new dev.homelab.simulators.frigate.FrigateSimulatorOptions()
                      .setCredentials("homelab", FRIGATE_PASSWORD)));
      dev.homelab.simulators.proxmox.ProxmoxSimulator proxmox =
          await(
              dev.homelab.simulators.proxmox.ProxmoxSimulator.start(
                  upstreams,
                  dev.homelab.simulators.proxmox.ProxmoxSimulator.Setup.of(
                          "nas",
                          "8.3.2",
                          dev.homelab.simulators.proxmox.ProxmoxSimulator.fixtureGuests())
                      .withToken("root@pam!homelab", PROXMOX_SECRET)));
      java.util.Map<String, String> settings = new java.util.HashMap<>();
      // Trust auth ignores the password, so the real server accepts this url.
      settings.put("DATABASE_URL", PG.uriOf(PG.newDatabase(), "postgres:" + DB_PASSWORD));
      settings.put("METRICS_ACCESS", "token");
      settings.put("METRICS_TOKEN", METRICS_TOKEN);
      settings.put("JWT_SECRET", JWT_SECRET);
      settings.put("REDIS_URL", REDIS_URL);
      settings.put("FRIGATE_URL", frigate.baseUrl());
      settings.put("FRIGATE_USER", "homelab");
      settings.put("FRIGATE_PASSWORD", FRIGATE_PASSWORD);
      settings.put("AI_HUB_URL", aiHub.baseUrl());
      settings.put("AI_HUB_USER", "homelab");
      settings.put("AI_HUB_PASSWORD", AI_HUB_PASSWORD);
      settings.put("AUTOMATION_API_URL", automation.baseUrl());
      settings.put("AUTOMATION_API_USER", "homelab");
      settings.put("AUTOMATION_API_PASSWORD", AUTOMATION_PASSWORD);
      // The real Mosquitto on loopback (it lets anyone in, so the password is sent and ignored).
      settings.put("MQTT_URL", "mqtt://127.0.0.1:1883");
      settings.put("MQTT_USERNAME", "homelab");
      settings.put("MQTT_PASSWORD", MQTT_PASSWORD);
      settings.put("MQTT_SUBSCRIPTIONS", "hltest-secrets-" + System.nanoTime() + "/#");
      settings.put("PROXMOX_SERVERS", "nas");
      settings.put("PROXMOX_NAS_URL", proxmox.baseUrl());
      settings.put("PROXMOX_NAS_TOKEN_ID", proxmox.setup().tokenId());
      settings.put("PROXMOX_NAS_TOKEN_SECRET", PROXMOX_SECRET);
      settings.put("PROXMOX_NAS_FINGERPRINT", proxmox.fingerprint());
      try (ServerTesting lab = ServerTesting.start(dir, settings)) {
        String cameras = await(lab.webAdmin.get("/api/frigate/cameras").send()).bodyAsString();
        String servers = await(lab.webAdmin.get("/api/proxmox/servers").send()).bodyAsString();
        String processes = await(lab.webAdmin.get("/api/ai/processes").send()).bodyAsString();
        assertThat(processes).contains("\"count\":0");
        io.vertx.ext.web.client.HttpResponse<io.vertx.core.buffer.Buffer> automations =
            await(lab.webAdmin.get("/api/automations").send());
        String restart =
            await(lab.webAdmin.post("/api/automations/monitor/restart").send()).bodyAsString();
        assertThat(automations.statusCode()).isEqualTo(200);
        assertThat(restart).contains("\"success\":true");
        assertThat(automations.bodyAsString() + restart).doesNotContain(AUTOMATION_PASSWORD);
        io.vertx.ext.web.client.HttpResponse<io.vertx.core.buffer.Buffer> topics =
            await(lab.webAdmin.get("/api/mqtt/topics").send());
        assertThat(topics.statusCode()).isEqualTo(200);
        assertThat(topics.bodyAsString()).doesNotContain(MQTT_PASSWORD);
        assertThat(cameras + servers + processes)
            .doesNotContain(FRIGATE_PASSWORD)
            .doesNotContain(AI_HUB_PASSWORD)
            .doesNotContain(PROXMOX_SECRET);
        assertThat(servers).contains("\"online\":true");
        for (String path : new String[] {"/health", "/health/live", "/health/ready"}) {
          String body = await(lab.web.get(path).send()).bodyAsString();
          assertThat(body).as(path).doesNotContain(DB_PASSWORD);
          SECRETS.values().forEach(secret -> assertThat(body).as(path).doesNotContain(secret));
        }
        String health = await(lab.webAdmin.get("/api/system").send()).bodyAsString();
        SECRETS.values().forEach(secret -> assertThat(health).doesNotContain(secret));
        await(
            lab.web
                .get("/metrics?token=" + QUERY_SECRET)
                .bearerTokenAuthentication(CLIENT_TOKEN)
                .send());
        await(lab.web.get("/metrics").bearerTokenAuthentication(METRICS_TOKEN).send());
        await(
            lab.web
                .get("/api/settings/nothing?password=" + QUERY_SECRET)
                .bearerTokenAuthentication(CLIENT_TOKEN)
                .send());
        await(
            lab.webAdmin
                .put("/api/settings/x?api_key=" + QUERY_SECRET)
                .putHeader("Content-Type", "application/json")
                .sendBuffer(io.vertx.core.buffer.Buffer.buffer("{oops " + QUERY_SECRET)));
        await(lab.server.storage().close());
        await(
            lab.webAdmin
                .get("/api/settings?token=" + QUERY_SECRET)
                .send()); // a storage failure is logged
      }
    } finally {
      root.detachAppender(captured);
      await(upstreams.close());
    }
    assertThat(captured.list).isNotEmpty();
    assertThat(captured.list)
        .extracting(SecretsNeverLoggedIT::render)
        .anySatisfy(line -> assertThat(line).contains("Starting Homelab"))
        .allSatisfy(
            line ->
                assertThat(line)
                    .doesNotContain(DB_PASSWORD)
                    .doesNotContain(METRICS_TOKEN)
                    .doesNotContain(CLIENT_TOKEN)
                    .doesNotContain(QUERY_SECRET)
                    .doesNotContain(JWT_SECRET)
                    .doesNotContain(REDIS_URL)
                    .doesNotContain(FRIGATE_PASSWORD)
                    .doesNotContain(AI_HUB_PASSWORD)
                    .doesNotContain(AUTOMATION_PASSWORD)
                    .doesNotContain(PROXMOX_SECRET)
                    .doesNotContain(ServerTesting.ACCESS_TOKEN));
  }

  private static String render(ILoggingEvent event) {
    String throwable =
        event.getThrowableProxy() == null
            ? ""
            : ThrowableProxyUtil.asString(event.getThrowableProxy());
    return event.getFormattedMessage() + " " + throwable;
  }
}
