package dev.homelab.server;

import dev.homelab.core.events.EventHub;
import dev.homelab.core.store.Storage;
import dev.homelab.server.http.AccessLog;
import dev.homelab.server.http.ErrorHandler;
import dev.homelab.server.http.RequestIds;
import dev.homelab.server.http.Routes;
import dev.homelab.server.routes.HealthRoutes;
import dev.homelab.server.routes.OpsRoutes;
import dev.homelab.server.routes.SettingsRoutes;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.TimeoutHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reference server: opens the store, builds the router and listens. It holds no business rule;
 * routes call into core.
 *
 * <p>{@link #start} can be called on any Vert.x instance (the tests run it in-process); {@link
 * Main} adds configuration loading, logging, metrics and signal handling around it.
 */
public final class HomelabServer {

  private static final Logger log = LoggerFactory.getLogger(HomelabServer.class);

  /** The server's version, from the build. */
  public static final String VERSION = readVersion();

  private final Vertx vertx;
  private final Storage storage;
  private final EventHub events;
  private final Router router;
  private final HttpServer http;

  private HomelabServer(
      Vertx vertx, Storage storage, EventHub events, Router router, HttpServer http) {
    this.vertx = vertx;
    this.storage = storage;
    this.events = events;
    this.router = router;
    this.http = http;
  }

  /**
   * Starts a server.
   *
   * @param vertx the Vert.x instance to run on; not closed by {@link #shutdown}
   * @param config a valid configuration
   * @param registry the registry {@code /metrics} scrapes, or {@code null} for no {@code /metrics}
   * @return the listening server; a failed future if the configuration is invalid, the store cannot
   *     be opened or the port cannot be bound (nothing is left open then)
   */
  public static Future<HomelabServer> start(
      Vertx vertx, ServerConfig config, PrometheusMeterRegistry registry) {
    try {
      config.requireValid();
    } catch (InvalidConfigException e) {
      return Future.failedFuture(e);
    }
    log.info("Starting Homelab {} with {}", VERSION, config);
    return vertx
        .executeBlocking(
            () -> {
              Files.createDirectories(config.dataDir());
              return readOpenApi();
            },
            false)
        .compose(
            openApi ->
                Storage.open(vertx, config.storage())
                    .compose(storage -> listen(vertx, config, registry, openApi, storage)));
  }

  private static Future<HomelabServer> listen(
      Vertx vertx,
      ServerConfig config,
      PrometheusMeterRegistry registry,
      JsonObject openApi,
      Storage storage) {
    EventHub events = EventHub.create(vertx);
    Router router = Router.router(vertx);
    router.route().handler(new RequestIds());
    router.route().handler(new AccessLog());
    router
        .route()
        .handler(
            TimeoutHandler.create(TimeUnit.SECONDS.toMillis(config.requestTimeoutSeconds()), 503));

    Routes routes = new Routes(router, config.maxBodySize());
    new HealthRoutes(storage, VERSION).register(routes);
    new OpsRoutes(registry, config, openApi).register(routes);
    new SettingsRoutes(storage.settings()).register(routes);

    ErrorHandler errors = new ErrorHandler();
    router.route().failureHandler(errors);
    router.errorHandler(404, errors);
    router.errorHandler(405, errors);
    router.errorHandler(413, errors);
    router.errorHandler(500, errors);

    HttpServerOptions options =
        new HttpServerOptions()
            .setHost(config.host())
            .setPort(config.port())
            .setIdleTimeout(config.idleTimeoutSeconds())
            .setIdleTimeoutUnit(TimeUnit.SECONDS)
            .setCompressionSupported(true);
    return vertx
        .createHttpServer(options)
        .requestHandler(router)
        .listen()
        .map(
            http -> {
              log.info(
                  "Homelab listening on http://{}:{} ({})",
                  config.host(),
                  http.actualPort(),
                  storage.kind().label());
              return new HomelabServer(vertx, storage, events, router, http);
            })
        .recover(
            failure ->
                Future.join(events.close(), storage.close())
                    .transform(closed -> Future.failedFuture(failure)));
  }

  /**
   * @return the port the server listens on
   */
  public int port() {
    return http.actualPort();
  }

  /**
   * @return the store the server uses
   */
  public Storage storage() {
    return storage;
  }

  /**
   * @return the server's event hub
   */
  public EventHub events() {
    return events;
  }

  /**
   * @return the router, for embedding apps that add routes of their own
   */
  public Router router() {
    return router;
  }

  /**
   * Stops gracefully: stops accepting connections, lets in-flight requests finish (at most the
   * timeout, then closes what is left), then closes the event hub and the store.
   *
   * @param timeout how long in-flight requests may take
   * @return a future completed when everything is closed
   */
  public Future<Void> shutdown(Duration timeout) {
    log.info("Shutting down: finishing in-flight requests (at most {} s)", timeout.toSeconds());
    return http.shutdown(timeout.toMillis(), TimeUnit.MILLISECONDS)
        .eventually(events::close)
        .eventually(storage::close)
        .onComplete(done -> log.info("Homelab stopped"));
  }

  private static JsonObject readOpenApi() {
    try (InputStream in = HomelabServer.class.getResourceAsStream("openapi.json")) {
      if (in == null) {
        throw new IllegalStateException("openapi.json is missing from the server jar");
      }
      JsonObject doc = new JsonObject(Buffer.buffer(in.readAllBytes()));
      doc.getJsonObject("info").put("version", VERSION);
      return doc;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String readVersion() {
    try (InputStream in = HomelabServer.class.getResourceAsStream("version.properties")) {
      Properties properties = new Properties();
      if (in != null) {
        properties.load(in);
      }
      return properties.getProperty("version", "dev");
    } catch (IOException e) {
      return "dev";
    }
  }
}
