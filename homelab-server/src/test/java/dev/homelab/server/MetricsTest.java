package dev.homelab.server;

import static dev.homelab.core.testing.VertxTesting.await;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetricsTest {

  /**
   * One sample line of the Prometheus text format 0.0.4: name, optional labels, value, optional
   * timestamp.
   */
  private static final Pattern SAMPLE =
      Pattern.compile(
          "[a-zA-Z_:][a-zA-Z0-9_:]*(\\{([a-zA-Z_][a-zA-Z0-9_]*=\"([^\"\\\\\\n]|\\\\[\"\\\\n])*\",?)*\\})?"
              + " ([-+]?([0-9]+(\\.[0-9]*)?([eE][-+]?[0-9]+)?|\\.[0-9]+([eE][-+]?[0-9]+)?)|[-+]?Inf|NaN)( -?[0-9]+)?");

  private static final Pattern COMMENT =
      Pattern.compile(
          "# (HELP [a-zA-Z_:][a-zA-Z0-9_:]* .*|TYPE [a-zA-Z_:][a-zA-Z0-9_:]* (counter|gauge|histogram|summary|untyped))");

  @TempDir Path dir;

  @Test
  void metricsAreValidPrometheusTextTaggedByRouteTemplate() {
    try (ServerTesting lab = ServerTesting.start(dir)) {
      await(lab.client.settings().put("metrics.probe.secret-id", 1));
      await(lab.client.settings().get("metrics.probe.secret-id"));
      await(lab.web.get("/no/such/path/with-an-id-42").send());
      var response = await(lab.web.get("/metrics").send());
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.getHeader("Content-Type")).startsWith("text/plain; version=0.0.4");
      String text = response.bodyAsString();
      List<String> lines = text.lines().filter(l -> !l.isEmpty()).toList();
      assertThat(lines)
          .isNotEmpty()
          .allSatisfy(
              line ->
                  assertThat(SAMPLE.matcher(line).matches() || COMMENT.matcher(line).matches())
                      .as(line)
                      .isTrue());
      assertThat(text)
          .contains(
              "vertx_http_server_requests_total{code=\"200\",method=\"PUT\",route=\"/api/settings/:key\"}")
          .contains(
              "vertx_http_server_requests_total{code=\"200\",method=\"GET\",route=\"/api/settings/:key\"}")
          .contains("jvm_memory_used_bytes")
          .contains("process_cpu_usage")
          .doesNotContain("metrics.probe.secret-id")
          .doesNotContain("with-an-id-42");
    }
  }

  @Test
  void metricsCanRequireAToken() {
    try (ServerTesting lab =
        ServerTesting.start(
            dir, Map.of("METRICS_ACCESS", "token", "METRICS_TOKEN", "0123456789abcdef-token"))) {
      var denied = await(lab.web.get("/metrics").send());
      assertThat(denied.statusCode()).isEqualTo(401);
      assertThat(denied.bodyAsJsonObject().getString("error_code")).isEqualTo("UNAUTHENTICATED");
      assertThat(
              await(lab.web.get("/metrics").bearerTokenAuthentication("wrong-token-0000000").send())
                  .statusCode())
          .isEqualTo(401);
      assertThat(
              await(
                      lab.web
                          .get("/metrics")
                          .bearerTokenAuthentication("0123456789abcdef-token")
                          .send())
                  .statusCode())
          .isEqualTo(200);
    }
  }

  @Test
  void metricsCanBeDisabled() {
    try (ServerTesting lab = ServerTesting.start(dir, Map.of("METRICS_ACCESS", "disabled"))) {
      assertThat(await(lab.web.get("/metrics").send()).statusCode()).isEqualTo(404);
    }
  }
}
