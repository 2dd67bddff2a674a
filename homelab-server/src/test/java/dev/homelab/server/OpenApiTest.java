package dev.homelab.server;

import static dev.homelab.core.testing.VertxTesting.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.homelab.core.testing.BlockedThreadGuard;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Route;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Fails when a route is missing from /openapi.json, or documented but absent. */
@ExtendWith(BlockedThreadGuard.class)
class OpenApiTest {

  private static final Set<String> HTTP_METHODS =
      Set.of("get", "put", "post", "delete", "patch", "head", "options");

  @TempDir Path dir;

  @Test
  void theDocumentDescribesExactlyTheRoutesThatExist() {
    try (ServerTesting lab = ServerTesting.start(dir)) {
      JsonObject doc = await(lab.webAdmin.get("/openapi.json").send()).bodyAsJsonObject();
      assertThat(doc.getString("openapi")).startsWith("3.1.");
      assertThat(doc.getJsonObject("info").getString("version")).isEqualTo(HomelabServer.VERSION);

      Set<String> documented = new TreeSet<>();
      JsonObject paths = doc.getJsonObject("paths");
      for (String path : paths.fieldNames()) {
        for (String method : paths.getJsonObject(path).fieldNames()) {
          if (HTTP_METHODS.contains(method)) {
            documented.add(method.toUpperCase(Locale.ROOT) + " " + path);
            assertThat(paths.getJsonObject(path).getJsonObject(method).getJsonObject("responses"))
                .as(method + " " + path)
                .isNotEmpty();
          }
        }
      }

      Set<String> served = new TreeSet<>();
      for (Route route : lab.server.router().getRoutes()) {
        if (route.getPath() == null || route.methods() == null) {
          continue; // global handlers (request id, access log, timeout, failure)
        }
        String path = route.getPath().replaceAll(":([A-Za-z0-9_]+)", "{$1}");
        for (HttpMethod method : route.methods()) {
          served.add(method.name() + " " + path);
        }
      }
      assertThat(documented).isEqualTo(served);
    }
  }
}
