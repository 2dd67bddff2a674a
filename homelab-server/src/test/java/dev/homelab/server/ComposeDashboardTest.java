package dev.homelab.server;

import static dev.homelab.core.testing.VertxTesting.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Grafana dashboard of the compose observability profile ({@code
 * deploy/grafana/dashboards/homelab-server.json}) charts what the server's {@code /metrics} really
 * serves: every series name its queries use is in a real server's scrape, and it covers the
 * server's own meters.
 */
class ComposeDashboardTest {

  private static final Pattern SERIES =
      Pattern.compile("\\b((?:homelab|vertx|jvm|process|system)_[a-z0-9_]+)");

  @TempDir Path dir;

  private static List<String> expressions(JsonObject dashboard) {
    List<String> exprs = new ArrayList<>();
    dashboard
        .getJsonArray("panels")
        .forEach(
            p -> {
              JsonObject panel = (JsonObject) p;
              if (panel.containsKey("targets")) {
                panel
                    .getJsonArray("targets")
                    .forEach(t -> exprs.add(((JsonObject) t).getString("expr")));
                assertThat(panel.getJsonObject("datasource").getString("uid"))
                    .as(panel.getString("title"))
                    .isEqualTo("homelab-prometheus");
              }
            });
    return exprs;
  }

  @Test
  void everySeriesTheDashboardQueriesIsServed() {
    JsonObject dashboard =
        new JsonObject(ComposeFiles.read("deploy/grafana/dashboards/homelab-server.json"));
    Set<String> names = new TreeSet<>();
    for (String expr : expressions(dashboard)) {
      Matcher matcher = SERIES.matcher(expr);
      while (matcher.find()) {
        names.add(matcher.group(1));
      }
    }
    assertThat(names)
        .contains(
            "homelab_access_decisions_total",
            "homelab_collector_runs_total",
            "homelab_metrics_rollup_lag_seconds",
            "homelab_leader",
            "vertx_http_server_requests_total");
    String datasource =
        ComposeFiles.read("deploy/grafana/provisioning/datasources/prometheus.yaml");
    assertThat(datasource)
        .contains("uid: homelab-prometheus")
        .contains("url: http://prometheus:9090");

    try (ServerTesting lab = ServerTesting.start(dir)) {
      await(lab.web.get("/health").send());
      String scrape = await(lab.web.get("/metrics").send()).bodyAsString();
      Set<String> served = new TreeSet<>();
      scrape
          .lines()
          .filter(line -> !line.startsWith("#") && !line.isBlank())
          .forEach(line -> served.add(line.split("[{ ]", 2)[0]));
      assertThat(served).as("the series of /metrics").containsAll(names);
    }
  }
}
