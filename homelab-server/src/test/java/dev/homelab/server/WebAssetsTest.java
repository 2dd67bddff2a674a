package dev.homelab.server;

import static dev.homelab.core.testing.VertxTesting.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.homelab.server.features.WebFeature;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboard's files over HTTP, without a browser: /docs (Swagger UI from its webjar, unpacked
 * at build time) under the strict CSP, the public /openapi.json it reads, the third-party files
 * under {@code /assets/<version>/lib/}, and the History page's module.
 */
class WebAssetsTest {

  private static final Pattern ASSETS = Pattern.compile("/assets/[^/\"]+/");

  @TempDir static Path dir;

  private static ServerTesting lab;

  @BeforeAll
  static void start() {
    lab = ServerTesting.start(dir);
  }

  @AfterAll
  static void stop() {
    lab.close();
  }

  private static HttpResponse<Buffer> get(String path) {
    return await(lab.web.get(path).send());
  }

  /** The versioned asset prefix the page links to, {@code /assets/<version>/}. */
  private static String assets(String page) {
    Matcher m = ASSETS.matcher(page);
    assertThat(m.find()).as("an asset path in the page").isTrue();
    return m.group();
  }

  private static void assertAsset(HttpResponse<Buffer> response, String contentType) {
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.getHeader("Content-Type")).startsWith(contentType);
    assertThat(response.getHeader("Cache-Control")).contains("immutable");
    assertThat(response.getHeader("Content-Security-Policy")).isEqualTo(WebFeature.CSP);
    assertThat(response.body().length()).isPositive();
  }

  @Test
  void docsIsSwaggerUiUnderTheStrictPolicyWithNothingInline() {
    for (String path : new String[] {"/docs", "/docs/"}) {
      HttpResponse<Buffer> page = get(path);
      assertThat(page.statusCode()).as(path).isEqualTo(200);
      assertThat(page.getHeader("Content-Type")).startsWith("text/html");
      assertThat(page.getHeader("Cache-Control")).isEqualTo("no-store");
      assertThat(page.getHeader("Content-Security-Policy")).isEqualTo(WebFeature.CSP);
      String html = page.bodyAsString();
      assertThat(html)
          .doesNotContain("{{assets}}")
          .contains("lib/swagger-ui/swagger-ui-bundle.js", "lib/swagger-ui/swagger-ui.css")
          .contains("docs.js");
      // Every script is a file of this origin: no inline code, no inline style.
      assertThat(html.split("<script").length - 1)
          .isEqualTo(html.split("<script[^>]* src=\"/assets/").length - 1);
      assertThat(html).doesNotContain("<style", "style=", "http://", "https://");
    }

    String html = get("/docs/").bodyAsString();
    String assets = assets(html);
    assertAsset(get(assets + "lib/swagger-ui/swagger-ui-bundle.js"), "text/javascript");
    assertAsset(get(assets + "lib/swagger-ui/swagger-ui.css"), "text/css");
    HttpResponse<Buffer> docsJs = get(assets + "docs.js");
    assertAsset(docsJs, "text/javascript");
    assertThat(docsJs.bodyAsString())
        .contains("SwaggerUIBundle", "'/openapi.json'", "queryConfigEnabled: false");
    // The page template itself is not an asset.
    assertThat(get(assets + "docs.html").statusCode()).isEqualTo(404);
  }

  /** Public, so that /docs can read it before anyone logs in; it describes, it holds no data. */
  @Test
  void theApiDocumentIsPublicAndOffersTheBearerSchemeForTryItOut() {
    HttpResponse<Buffer> response = get("/openapi.json");
    assertThat(response.statusCode()).isEqualTo(200);
    JsonObject doc = response.bodyAsJsonObject();
    JsonObject bearer =
        doc.getJsonObject("components").getJsonObject("securitySchemes").getJsonObject("bearer");
    assertThat(bearer.getString("type")).isEqualTo("http");
    assertThat(bearer.getString("scheme")).isEqualTo("bearer");
    assertThat(doc.getJsonArray("security").getJsonObject(0).containsKey("bearer")).isTrue();
    assertThat(
            doc.getJsonObject("paths")
                .getJsonObject("/openapi.json")
                .getJsonObject("get")
                .getJsonArray("security"))
        .isEmpty();
    // The API itself still wants the credential.
    assertThat(get("/api/devices").statusCode()).isEqualTo(401);
  }

  @Test
  void theHistoryPageIsAModuleOfTheShellThatDrawsWithUplotFromLib() {
    String page = get("/").bodyAsString();
    assertThat(page).contains("href=\"#/history\"");
    String assets = assets(page);
    HttpResponse<Buffer> app = get(assets + "app.js");
    assertAsset(app, "text/javascript");
    assertThat(app.bodyAsString())
        .contains("import { historyPage } from './history.js';", "history: historyPage");
    HttpResponse<Buffer> history = get(assets + "history.js");
    assertAsset(history, "text/javascript");
    assertThat(history.bodyAsString())
        .contains("export function historyPage", "from './charts.js';")
        .contains("/api/metrics/host", "/api/metrics/query", "/api/metrics/series")
        .doesNotContain("innerHTML");
    // The chart code shared with the Proxmox and Automations pages' history panels.
    HttpResponse<Buffer> charts = get(assets + "charts.js");
    assertAsset(charts, "text/javascript");
    assertThat(charts.bodyAsString())
        .contains("import('./lib/uplot/uPlot.esm.js')", "'lib/uplot/uPlot.min.css'")
        .doesNotContain("innerHTML");
    assertAsset(get(assets + "history.css"), "text/css");
    // What the page imports exists at the path it is imported from.
    assertAsset(get(assets + "lib/uplot/uPlot.esm.js"), "text/javascript");
  }

  /** The answers have the fields history.js reads, asked the way it asks. */
  @Test
  void theHistoryPagesQueriesAnswerWhatItReads() {
    JsonObject host =
        await(lab.webAdmin.get("/api/metrics/host?period=6h&max_points=600").send())
            .bodyAsJsonObject();
    assertThat(host.fieldNames()).contains("from", "to", "tier", "interval", "data");
    JsonObject zoomed =
        await(
                lab.webAdmin
                    .get(
                        "/api/metrics/query?series=host.load%7Bminutes%3D1%7D"
                            + "&from=2026-01-01T00%3A00%3A00.000Z&to=2026-01-01T01%3A00%3A00.000Z"
                            + "&max_points=340")
                    .send())
            .bodyAsJsonObject();
    assertThat(zoomed.fieldNames()).contains("from", "to", "tier", "interval", "data", "series");
    assertThat(zoomed.getString("series")).isEqualTo("host.load{minutes=1}");
    assertThat(get("/api/metrics/series").statusCode()).isEqualTo(401);
    assertThat(
            await(lab.webAdmin.get("/api/metrics/series").send())
                .bodyAsJsonObject()
                .getJsonArray("series"))
        .isNotNull();
  }

  @Test
  void thirdPartyFilesAreServedFromLibWithStrictPathChecks() {
    String assets = assets(get("/").bodyAsString());
    assertAsset(get(assets + "lib/uplot/uPlot.esm.js"), "text/javascript");
    assertAsset(get(assets + "lib/uplot/uPlot.min.css"), "text/css");
    for (String bad :
        new String[] {
          "lib/uplot/LICENSE", // no served type
          "lib/uplot/missing.js",
          "lib/uplot/%2e%2e/%2e%2e/index.html",
          "lib/.hidden.js",
          "index.html"
        }) {
      assertThat(get(assets + bad).statusCode()).as(bad).isEqualTo(404);
    }
    // An old version's path is not served: the page always names the current one.
    assertThat(get("/assets/0.0.0/lib/uplot/uPlot.esm.js").statusCode()).isEqualTo(404);
  }
}
