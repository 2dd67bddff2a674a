package dev.homelab.server.features;

import dev.homelab.server.HomelabServer;
import dev.homelab.server.http.Routes;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The web dashboard at {@code /}: plain ES modules and one stylesheet, served from the jar, that
 * use the public API and the event stream like any other client. The page itself is never cached;
 * the assets are served under a path with the server's version and cached for a year, so a new
 * version is fetched at once and an unchanged one never again. Third-party libraries (Swagger UI,
 * uPlot) are unpacked from their webjars into {@code lib/} at build time and served the same way.
 * {@code /docs} is Swagger UI over {@code /openapi.json}. Every answer carries a strict
 * Content-Security-Policy: scripts, styles and connections from this origin only, nothing inline.
 */
public final class WebFeature implements Feature {

  /** The dashboard's routes: pages and files for browsers, not part of the API document. */
  public static final List<String> ROUTES = List.of("/", "/docs", "/docs/", "/assets/:version/*");

  /**
   * @param path a route's path as the router reports it (a trailing {@code *} removed)
   * @return whether it is one of the dashboard's routes
   */
  public static boolean isWebRoute(String path) {
    return path.equals("/")
        || path.equals("/docs")
        || path.startsWith("/docs/")
        || path.startsWith("/assets/");
  }

  /** Where the dashboard's files are in the jar. */
  static final String ROOT = "dev/homelab/server/web/";

  /**
   * The Content-Security-Policy of every dashboard answer: nothing inline, nothing foreign. Images
   * may be {@code blob:} URLs, which only the page's own script creates: camera pictures are
   * fetched with the session token (an {@code <img src>} cannot send it) and shown from a blob.
   */
  public static final String CSP =
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:;"
          + " connect-src 'self'; font-src 'self'; manifest-src 'self'; base-uri 'none';"
          + " form-action 'self'; frame-ancestors 'none'";

  /** The pages, read at start with their asset paths filled in; never served as assets. */
  private static final List<String> PAGES = List.of("index.html", "docs.html");

  private static final Map<String, String> TYPES =
      Map.of(
          "js", "text/javascript; charset=utf-8",
          "css", "text/css; charset=utf-8",
          "html", "text/html; charset=utf-8",
          "svg", "image/svg+xml",
          "png", "image/png",
          "json", "application/json",
          "map", "application/json");

  private final ServerContext context;
  private final String assetPrefix;
  private final Map<String, Buffer> cache = new ConcurrentHashMap<>();

  /**
   * @param context the server's context
   */
  public WebFeature(ServerContext context) {
    this.context = context;
    // A release's files never change under its version; a snapshot's may change at every build,
    // so its assets also carry the start time, which a restart after a rebuild changes.
    String version = HomelabServer.VERSION.replaceAll("[^A-Za-z0-9._-]", "_");
    if (version.endsWith("SNAPSHOT") || version.equals("dev")) {
      version += "-" + Long.toString(System.currentTimeMillis(), 36);
    }
    this.assetPrefix = "/assets/" + version + "/";
  }

  @Override
  public String name() {
    return "web";
  }

  /** Reads the pages on a worker, so that the first visit does no I/O on an event loop. */
  @Override
  public Future<Void> start(CloseStack opened) {
    return context
        .vertx()
        .executeBlocking(
            () -> {
              for (String name : PAGES) {
                String page = read(name).toString(StandardCharsets.UTF_8);
                cache.put(name, Buffer.buffer(page.replace("{{assets}}", assetPrefix)));
              }
              return null;
            },
            false);
  }

  @Override
  public void routes(Routes routes) {
    routes.route(HttpMethod.GET, ROUTES.get(0), ctx -> page(ctx, "index.html"));
    routes.route(HttpMethod.GET, ROUTES.get(1), ctx -> page(ctx, "docs.html"));
    routes.route(HttpMethod.GET, ROUTES.get(2), ctx -> page(ctx, "docs.html"));
    routes.route(HttpMethod.GET, ROUTES.get(3), this::asset);
  }

  /** A page, with the versioned asset paths filled in; never cached, so a new version shows. */
  private void page(RoutingContext ctx, String name) {
    send(ctx.response(), "html", "no-store", cache.get(name));
  }

  private void asset(RoutingContext ctx) {
    String path = ctx.pathParam("*");
    if (!ctx.pathParam("version").equals(assetPrefix.split("/")[2])
        || path == null
        || !path.matches("[A-Za-z0-9][A-Za-z0-9._-]*(/[A-Za-z0-9][A-Za-z0-9._-]*)*")
        || path.contains("..")
        || PAGES.contains(path)) {
      // An old version, no such asset, a page template, or a path that could leave ROOT: 404.
      ctx.next();
      return;
    }
    String ext = path.substring(path.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
    if (!TYPES.containsKey(ext)) {
      ctx.next();
      return;
    }
    Buffer cached = cache.get(path);
    Future<Buffer> body =
        cached != null
            ? Future.succeededFuture(cached)
            : context.vertx().executeBlocking(() -> read(path), false);
    body.onSuccess(
            read -> {
              if (read.length() == 0) {
                ctx.next();
                return;
              }
              cache.put(path, read);
              send(ctx.response(), ext, "public, max-age=31536000, immutable", read);
            })
        .onFailure(ctx::fail);
  }

  private static void send(HttpServerResponse response, String ext, String caching, Buffer body) {
    response
        .putHeader("Content-Type", TYPES.get(ext))
        .putHeader("Cache-Control", caching)
        .putHeader("Content-Security-Policy", CSP)
        .end(body);
  }

  /** A file of the dashboard from the jar, or an empty buffer if there is none. */
  private static Buffer read(String name) {
    try (InputStream in = WebFeature.class.getClassLoader().getResourceAsStream(ROOT + name)) {
      return in == null ? Buffer.buffer() : Buffer.buffer(in.readAllBytes());
    } catch (IOException e) {
      return Buffer.buffer();
    }
  }
}
