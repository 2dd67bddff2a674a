package dev.homelab.server;

import static dev.homelab.core.testing.VertxTesting.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.homelab.server.features.WebFeature;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Route;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Fails when a route is missing from /openapi.json, or documented but absent. */
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
        if (WebFeature.isWebRoute(route.getPath())) {
          continue; // the dashboard's page and files, for browsers: not the API
        }
        String path = route.getPath().replaceAll(":([A-Za-z0-9_]+)", "{$1}");
        for (HttpMethod method : route.methods()) {
          served.add(method.name() + " " + path);
        }
      }
      assertThat(documented).isEqualTo(served);
    }
  }

  /**
   * The refusals of the HTTP layer, which come before any route runs, are documented on every
   * operation (413 and 415 on those that take a body), as reusable responses with the standard
   * error body; and the places where the document used to be looser than the server stay tight.
   */
  @Test
  void everyOperationDocumentsTheHttpLayerRefusals() throws Exception {
    JsonObject doc;
    try (var in = HomelabServer.class.getResourceAsStream("openapi.json")) {
      doc = new JsonObject(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
    }
    JsonObject responses = doc.getJsonObject("components").getJsonObject("responses");
    Map<String, String> common =
        Map.of(
            "400", "BadRequest",
            "408", "RequestTimeout",
            "414", "UriTooLong",
            "429", "RateLimited",
            "431", "HeaderFieldsTooLarge");
    Map<String, String> withBody = Map.of("413", "PayloadTooLarge", "415", "UnsupportedMediaType");
    for (String name : concat(common, withBody).values()) {
      assertThat(
              responses
                  .getJsonObject(name)
                  .getJsonObject("content")
                  .getJsonObject("application/json")
                  .getJsonObject("schema")
                  .getString("$ref"))
          .as(name)
          .isEqualTo("#/components/schemas/Error");
    }
    JsonObject paths = doc.getJsonObject("paths");
    for (String path : paths.fieldNames()) {
      for (String method : paths.getJsonObject(path).fieldNames()) {
        if (!HTTP_METHODS.contains(method)) {
          continue;
        }
        JsonObject operation = paths.getJsonObject(path).getJsonObject(method);
        Map<String, String> expected =
            operation.containsKey("requestBody") ? concat(common, withBody) : common;
        JsonObject documented = operation.getJsonObject("responses");
        expected.forEach(
            (status, name) -> {
              JsonObject response = documented.getJsonObject(status);
              assertThat(response).as(method + " " + path + " " + status).isNotNull();
              assertThat(response.getString("$ref"))
                  .as(method + " " + path + " " + status)
                  .isIn("#/components/responses/" + name, "#/components/responses/Error");
            });
      }
    }

    JsonObject schemas = doc.getJsonObject("components").getJsonObject("schemas");
    JsonObject uid =
        paths
            .getJsonObject("/api/policies/cards/{uid}")
            .getJsonObject("get")
            .getJsonArray("parameters")
            .getJsonObject(0)
            .getJsonObject("schema");
    assertThat(uid.getString("pattern")).isNotBlank();
    assertThat(
            schemas
                .getJsonObject("ScheduleWindow")
                .getJsonObject("properties")
                .getJsonObject("days")
                .getJsonObject("items")
                .getString("pattern"))
        .isNotBlank();
    JsonObject series =
        paths
            .getJsonObject("/api/metrics/query")
            .getJsonObject("get")
            .getJsonArray("parameters")
            .getJsonObject(0)
            .getJsonObject("schema");
    assertThat(series.getInteger("minLength")).isEqualTo(1);
    for (String schema : new String[] {"NewDevice", "DevicePatch", "NewApiKey"}) {
      assertThat(
              schemas
                  .getJsonObject(schema)
                  .getJsonObject("properties")
                  .getJsonObject("name")
                  .getString("pattern"))
          .as(schema + ".name")
          .isEqualTo(dev.homelab.core.internal.Texts.NOT_BLANK_PATTERN);
    }
    // OpenAPI 3.1 is JSON Schema 2020-12: null is a type, "nullable" means nothing.
    assertThat(doc.encode()).doesNotContain("\"nullable\"");
  }

  private static Map<String, String> concat(Map<String, String> a, Map<String, String> b) {
    Map<String, String> all = new java.util.HashMap<>(a);
    all.putAll(b);
    return all;
  }
}
