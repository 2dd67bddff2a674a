package dev.homelab.server;

import static dev.homelab.core.testing.VertxTesting.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.homelab.client.access.NewCardPolicy;
import dev.homelab.client.audit.AuditQuery;
import dev.homelab.client.metrics.MetricQuery;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Times that ISO-8601 can write but milliseconds since the epoch cannot hold ({@code
 * +1000000000-12-31T23:59:59Z}, {@link Instant#MAX}), or that lie before 1970, are 422 naming the
 * field on every route that takes a time, and change nothing. They answered 500 (a long overflow)
 * on the metrics history, the audit and access logs, an API key's expiry and a card's validity.
 */
class TimeBoundsTest {

  private static final Instant NOW = Instant.now();

  @TempDir static Path dir;
  static ServerTesting lab;

  @BeforeAll
  static void start() {
    lab = ServerTesting.start(dir);
  }

  @AfterAll
  static void stop() {
    if (lab != null) {
      lab.close();
    }
  }

  @Test
  void metricsRangesOutsideTheYears1970To9999AreRefusedNamingTheEnd() {
    String cpu = "host.cpu.percent";
    MonitoringApiTest.assertInvalid(
        lab.client.metrics().query(MetricQuery.range(cpu, NOW, Instant.MAX)), "to");
    MonitoringApiTest.assertInvalid(
        lab.client.metrics().host(MetricQuery.range(null, Instant.MIN, NOW)), "from");
    MonitoringApiTest.assertInvalid(
        lab.client
            .metrics()
            .host(
                MetricQuery.range(
                    null, Instant.parse("1969-12-31T23:59:59Z"), NOW.plusSeconds(60))),
        "from");
    assertThat(
            await(
                    lab.client
                        .metrics()
                        .host(
                            MetricQuery.range(
                                null, Instant.EPOCH, Instant.parse("9999-12-31T23:59:59Z"))))
                .tier())
        .as("the widest range there is answers, from the coarsest tier")
        .isEqualTo("1h");
  }

  @Test
  void auditAndAccessLogRangesOutsideTheYears1970To9999AreRefusedNamingTheEnd() {
    MonitoringApiTest.assertInvalid(
        lab.client.audit().list(new AuditQuery(null, null, null, Instant.MIN, null, null, null)),
        "from");
    MonitoringApiTest.assertInvalid(
        lab.client.audit().list(new AuditQuery(null, null, null, null, Instant.MAX, null, null)),
        "to");
    for (String query : new String[] {"from=" + encode(Instant.MIN), "to=" + encode(Instant.MAX)}) {
      HttpResponse<Buffer> answer = await(lab.webAdmin.get("/api/access/logs?" + query).send());
      assertThat(answer.statusCode()).as(answer.bodyAsString()).isEqualTo(422);
      assertThat(new JsonObject(answer.body()).getString("field")).isEqualTo(query.split("=")[0]);
    }
  }

  @Test
  void anApiKeyExpiringAfterTheYear9999IsRefusedAndNotCreated() {
    int before = await(lab.client.auth().keys()).size();
    MonitoringApiTest.assertInvalid(
        lab.client.auth().createKey("far future", null, Instant.MAX), "expires_at");
    MonitoringApiTest.assertInvalid(
        lab.client.auth().createKey("year 10000", null, Instant.parse("+10000-01-01T00:00:00Z")),
        "expires_at");
    assertThat(await(lab.client.auth().keys())).hasSize(before);
  }

  @Test
  void aCardValidUntilAfterTheYear9999IsRefusedAndNotCreated() {
    String uid = "A1B2C3D4";
    MonitoringApiTest.assertInvalid(
        lab.client.access().createCard(NewCardPolicy.of(uid).withValidUntil(Instant.MAX)),
        "valid_until");
    MonitoringApiTest.assertInvalid(
        lab.client.access().createCard(NewCardPolicy.of(uid).withValidFrom(Instant.MIN)),
        "valid_from");
    assertThat(await(lab.client.access().cards()).items()).isEmpty();
  }

  private static String encode(Instant instant) {
    return URLEncoder.encode(instant.toString(), StandardCharsets.UTF_8);
  }
}
