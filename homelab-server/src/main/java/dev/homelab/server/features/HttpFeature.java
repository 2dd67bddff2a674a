package dev.homelab.server.features;

import dev.homelab.core.HomelabException;
import dev.homelab.server.ServerConfig;
import dev.homelab.server.http.ErrorHandler;
import dev.homelab.server.http.RequestIds;
import dev.homelab.server.http.RequestLog;
import dev.homelab.server.http.Routes;
import dev.homelab.server.http.SecurityHeaders;
import dev.homelab.server.http.impl.ConnectionGuard;
import dev.homelab.server.routes.AiRoutes;
import dev.homelab.server.routes.EventRoutes;
import dev.homelab.server.routes.FileRoutes;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.net.BindException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP server: the router with the cross-cutting handlers (request ids, security headers, the
 * request log, timeouts, CORS), the auth guard, the routes of every other feature in order, the
 * error handler, and the listener behind the connection guard.
 */
public final class HttpFeature implements Feature {

  private static final Logger log = LoggerFactory.getLogger(HttpFeature.class);

  private final ServerContext context;
  private final AuthFeature auth;
  private final StorageFeature storage;
  private final List<Feature> features;
  private Router router;
  private HttpServer http;

  /**
   * @param context the server's context
   * @param auth the guard every route but login sits behind
   * @param storage named in the log line that says the server listens
   * @param features the features whose routes the router serves, in order
   */
  public HttpFeature(
      ServerContext context, AuthFeature auth, StorageFeature storage, List<Feature> features) {
    this.context = context;
    this.auth = auth;
    this.storage = storage;
    this.features = List.copyOf(features);
  }

  @Override
  public String name() {
    return "http";
  }

  @Override
  public Future<Void> start(CloseStack opened) {
    ServerConfig config = context.config();
    router = Router.router(context.vertx());
    router.route().handler(new RequestIds());
    router.route().handler(new SecurityHeaders());
    router.route().handler(new RequestLog());
    // The request timeout bounds the wait for an answer's head. An answer that streams once its
    // head is out (the MQTT and automation-log streams, a download, Frigate media) is bounded from
    // then on by its own means: the streams' pings and credential checks, the idle timeout, and
    // for Frigate media a minimum rate. (Vert.x's TimeoutHandler fails the request even after its
    // head, which cut those streams at REQUEST_TIMEOUT_SECONDS.) Not bounded by it at all: the
    // event streams and the WebSocket, the bodies of uploads (multipart, tus chunks), which may
    // take long on a slow link, and the AI chat, which waits for the hub up to
    // AI_HUB_TIMEOUT_SECONDS.
    Handler<RoutingContext> timeout =
        headTimeout(TimeUnit.SECONDS.toMillis(config.requestTimeoutSeconds()));
    router
        .route()
        .handler(
            ctx -> {
              if (EventRoutes.isStreamPath(ctx.normalizedPath())
                  || AiRoutes.isStreamPath(ctx.normalizedPath())
                  || FileRoutes.isUpload(ctx.request().method(), ctx.normalizedPath())) {
                ctx.next();
              } else {
                timeout.handle(ctx);
              }
            });
    if (!config.corsOrigins().isEmpty()) {
      router.route().handler(SecurityHeaders.cors(config.corsOrigins()));
    }
    Routes routes = new Routes(router, config.maxBodySize());
    auth.guard(router, routes);
    features.forEach(feature -> feature.routes(routes));

    ErrorHandler errors = new ErrorHandler(routes);
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
            .setCompressionSupported(true)
            // HTTP/1.1 only: every connection goes through the ConnectionGuard's framing checks.
            .setHttp2ClearTextEnabled(false)
            .setWebSocketSubProtocols(List.of(EventRoutes.SUBPROTOCOL));
    ConnectionGuard guard =
        new ConnectionGuard(
            options,
            Duration.ofSeconds(config.requestHeaderTimeoutSeconds()),
            config.maxConnectionsPerClient(),
            auth.clientIp());
    return context
        .vertx()
        .createHttpServer(options)
        .connectionHandler(guard)
        .requestHandler(router)
        .listen()
        .recover(failure -> Future.failedFuture(listenFailure(config, failure)))
        .map(
            listening -> {
              http = listening;
              opened.push("the HTTP server", listening::close);
              log.info(
                  "Homelab listening on http://{}:{} ({})",
                  config.host(),
                  listening.actualPort(),
                  storage.storage().kind().label());
              return null;
            });
  }

  /**
   * Says which address could not be bound: Netty's {@code BindException} names neither the host nor
   * the port, and a taken port is an expected refusal, not a stack trace.
   */
  private static Throwable listenFailure(ServerConfig config, Throwable failure) {
    if (!(failure instanceof BindException)) {
      return failure;
    }
    String host = config.host().indexOf(':') >= 0 ? "[" + config.host() + "]" : config.host();
    String address = host + ":" + config.port();
    String message = String.valueOf(failure.getMessage());
    return new HomelabException(
        message.contains("in use")
            ? address + " is already in use"
            : "cannot listen on " + address + ": " + message,
        true);
  }

  /**
   * Stops accepting connections and lets in-flight requests finish.
   *
   * @param timeout how long they may take
   * @return completes when they finished or the time is up
   */
  Future<Void> drain(Duration timeout) {
    return http == null
        ? Future.succeededFuture()
        : http.shutdown(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /**
   * @return the port the server listens on
   */
  public int port() {
    return http.actualPort();
  }

  /**
   * @return the router, for embedding apps that add routes of their own
   */
  public Router router() {
    return router;
  }

  /**
   * The request timeout until the answer's head is out, then none. A request whose body is still
   * arriving is resumed, so that the 503 goes out (as Vert.x's TimeoutHandler does).
   */
  private static Handler<RoutingContext> headTimeout(long millis) {
    return ctx -> {
      long timer =
          ctx.vertx()
              .setTimer(
                  millis,
                  id -> {
                    if (!ctx.response().headWritten() && !ctx.response().ended() && !ctx.failed()) {
                      if (!ctx.request().isEnded()) {
                        ctx.request().resume();
                      }
                      ctx.fail(503);
                    }
                  });
      ctx.addEndHandler(ended -> ctx.vertx().cancelTimer(timer));
      ctx.next();
    };
  }
}
