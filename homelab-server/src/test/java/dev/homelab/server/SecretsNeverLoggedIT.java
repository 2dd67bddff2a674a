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

  /** A value for every secret key ConfigKeys declares: a new secret key must be added here. */
  private static final Map<String, String> SECRETS =
      Map.of(
          "METRICS_TOKEN", METRICS_TOKEN,
          "ACCESS_TOKEN", ServerTesting.ACCESS_TOKEN,
          "JWT_SECRET", JWT_SECRET,
          "REDIS_URL", REDIS_URL);

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
    try {
      // Trust auth ignores the password, so the real server accepts this url.
      String url = PG.uriOf(PG.newDatabase(), "postgres:" + DB_PASSWORD);
      try (ServerTesting lab =
          ServerTesting.start(
              dir,
              Map.of(
                  "DATABASE_URL",
                  url,
                  "METRICS_ACCESS",
                  "token",
                  "METRICS_TOKEN",
                  METRICS_TOKEN,
                  "JWT_SECRET",
                  JWT_SECRET,
                  "REDIS_URL",
                  REDIS_URL))) {
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
