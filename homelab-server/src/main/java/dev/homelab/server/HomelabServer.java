package dev.homelab.server;

import dev.homelab.core.HomelabException;
import dev.homelab.core.access.AccessEngine;
import dev.homelab.core.devices.DeviceRegistry;
import dev.homelab.core.events.EventHub;
import dev.homelab.core.events.EventHubOptions;
import dev.homelab.core.identity.Accounts;
import dev.homelab.core.identity.Passwords;
import dev.homelab.core.metrics.Downsampler;
import dev.homelab.core.store.Storage;
import dev.homelab.server.auth.Actors;
import dev.homelab.server.auth.Authenticator;
import dev.homelab.server.auth.ClientIp;
import dev.homelab.server.auth.RateLimiter;
import dev.homelab.server.auth.RequestLimits;
import dev.homelab.server.auth.SecretFiles;
import dev.homelab.server.auth.SessionTokens;
import dev.homelab.server.auth.impl.MemoryRateLimiter;
import dev.homelab.server.auth.impl.RedisRateLimiter;
import dev.homelab.server.http.ErrorHandler;
import dev.homelab.server.http.PathScoped;
import dev.homelab.server.http.RequestIds;
import dev.homelab.server.http.RequestLog;
import dev.homelab.server.http.Routes;
import dev.homelab.server.http.SecurityHeaders;
import dev.homelab.server.http.impl.ConnectionGuard;
import dev.homelab.server.ops.Housekeeping;
import dev.homelab.server.routes.AccessRoutes;
import dev.homelab.server.routes.AuditRoutes;
import dev.homelab.server.routes.AuthRoutes;
import dev.homelab.server.routes.DeviceRoutes;
import dev.homelab.server.routes.EventRoutes;
import dev.homelab.server.routes.HealthRoutes;
import dev.homelab.server.routes.MetricsRoutes;
import dev.homelab.server.routes.OpsRoutes;
import dev.homelab.server.routes.SettingsRoutes;
import dev.homelab.server.routes.SystemRoutes;
import dev.homelab.server.routes.UserRoutes;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.TimeoutHandler;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import io.vertx.redis.client.RedisOptions;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
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

  /** The steps a start runs, in order; each opens one part of the server. */
  static final List<String> START_STEPS =
      java.util.Arrays.stream(Assembly.Step.values()).map(Assembly.Step::label).toList();

  private final Assembly parts;

  private HomelabServer(Assembly parts) {
    this.parts = parts;
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
    return start(vertx, config, registry, null);
  }

  /**
   * Like {@link #start(Vertx, ServerConfig, PrometheusMeterRegistry)}, failing on purpose when the
   * named step is reached, after the steps before it opened their parts: for the test that every
   * failed start closes all it opened.
   *
   * @param failAt one of {@link #START_STEPS}, or {@code null}
   */
  static Future<HomelabServer> start(
      Vertx vertx, ServerConfig config, PrometheusMeterRegistry registry, String failAt) {
    try {
      config.requireValid();
    } catch (InvalidConfigException e) {
      return Future.failedFuture(e);
    }
    log.info("Starting Homelab {} with {}", VERSION, config);
    Assembly assembly = new Assembly(vertx, config, registry);
    return assembly.run(failAt).map(started -> new HomelabServer(assembly));
  }

  /** What is read from disk before the store opens: the API description and the secrets. */
  private record Startup(JsonObject openApi, SessionTokens tokens, String accessToken) {
    static Startup prepare(Vertx vertx, ServerConfig config) throws IOException {
      Files.createDirectories(config.dataDir());
      String jwtSecret =
          config.jwtSecret() != null
              ? config.jwtSecret()
              : SecretFiles.readOrCreate(config.dataDir().resolve("jwt_secret"), 48);
      String accessToken = config.accessToken();
      if (accessToken == null) {
        Path file = config.dataDir().resolve("access_token");
        boolean created = !Files.exists(file);
        accessToken = SecretFiles.readOrCreate(file, 24);
        if (created) {
          log.warn(
              "No ACCESS_TOKEN configured: generated one into {} (mode 0600); log in as admin with"
                  + " it",
              file.toAbsolutePath());
        }
      }
      if (jwtSecret.getBytes(StandardCharsets.UTF_8).length < 32 || accessToken.length() < 16) {
        throw new IllegalStateException(
            "the secret files in "
                + config.dataDir()
                + " are too short; delete them to regenerate");
      }
      // Built here, on a worker, so that the first use of the JCA providers, the JSON codec and
      // SecureRandom (hundreds of milliseconds cold) never happens on an event loop.
      SessionTokens tokens =
          new SessionTokens(vertx, jwtSecret, config.jwtLifetimeSeconds(), Clock.systemUTC());
      tokens.warmUp();
      return new Startup(readOpenApi(), tokens, accessToken);
    }
  }

  /**
   * Connects to {@code REDIS_URL}, shared by the rate limits and the leadership.
   *
   * @return the client once Redis answered a ping, {@code null} without a url
   */
  private static Future<Redis> connectRedis(Vertx vertx, String url) {
    if (url == null) {
      return Future.succeededFuture();
    }
    Redis redis = Redis.createClient(vertx, new RedisOptions().setConnectionString(url));
    return RedisAPI.api(redis)
        .ping(List.of())
        .map(pong -> redis)
        .recover(
            failure ->
                closeRedis(redis)
                    .transform(
                        closed ->
                            Future.failedFuture(
                                new IllegalStateException(
                                    "Redis at REDIS_URL does not answer: "
                                        + failure.getMessage()))));
  }

  private static Future<Void> closeRedis(Redis redis) {
    return redis == null ? Future.succeededFuture() : redis.close();
  }

  /**
   * The server's parts, opened one step after the other. Each step registers what it opened on
   * {@link #opened}; a step that fails closes everything before it, in reverse, and {@link
   * #shutdown} closes the same stack. Adding a part is adding a step, not another level of {@code
   * compose}.
   */
  private static final class Assembly {

    /** The steps, in the order they run. */
    enum Step {
      SECRETS,
      STORAGE,
      REDIS,
      LIMITS,
      PASSWORDS,
      EVENTS,
      ACCESS,
      MONITORING,
      HTTP,
      HOUSEKEEPING,
      COLLECTORS;

      String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
      }
    }

    final Vertx vertx;
    final ServerConfig config;
    final PrometheusMeterRegistry registry;
    final Clock clock = Clock.systemUTC();
    final CloseStack opened = new CloseStack();

    Startup startup;
    Storage storage;
    Redis redis;
    RateLimiter limiter;
    Passwords passwords;
    EventHub events;
    AccessEngine engine;
    Monitoring monitoring;
    Router router;
    HttpServer http;
    Housekeeping housekeeping;
    EventRoutes streams;

    Assembly(Vertx vertx, ServerConfig config, PrometheusMeterRegistry registry) {
      this.vertx = vertx;
      this.config = config;
      this.registry = registry;
    }

    Future<Void> run(String failAt) {
      Future<Void> chain = Future.succeededFuture();
      for (Step step : Step.values()) {
        chain =
            chain.compose(
                done ->
                    step.label().equals(failAt)
                        ? Future.failedFuture(
                            new IllegalStateException("failed on purpose: " + step.label()))
                        : step(step));
      }
      return chain.recover(
          failure -> opened.closeAll().transform(closed -> Future.failedFuture(failure)));
    }

    private Future<Void> step(Step step) {
      return switch (step) {
        case SECRETS ->
            vertx
                .executeBlocking(() -> Startup.prepare(vertx, config), false)
                .map(read -> startup = read)
                .mapEmpty();
        case STORAGE ->
            Storage.open(vertx, config.storage())
                .compose(
                    open -> {
                      storage = open;
                      opened.push("the store", open::close);
                      return open.users().ensureBuiltinAdmin();
                    })
                .mapEmpty();
        case REDIS ->
            connectRedis(vertx, config.redisUrl())
                .map(
                    client -> {
                      redis = client;
                      if (client != null) {
                        opened.push("the Redis client", client::close);
                      }
                      return null;
                    });
        case LIMITS -> {
          limiter =
              redis == null
                  ? new MemoryRateLimiter(System::currentTimeMillis)
                  : new RedisRateLimiter(redis, config.redisKeyPrefix());
          opened.push("the rate limits", limiter::close);
          yield Future.succeededFuture();
        }
        case PASSWORDS ->
            Passwords.create(vertx)
                .map(
                    created -> {
                      passwords = created;
                      opened.push("the password hashing pool", created::close);
                      return null;
                    });
        case EVENTS -> {
          events =
              EventHub.create(
                  vertx, new EventHubOptions().setReplayBufferSize(config.eventsReplaySize()));
          opened.push("the event hub", events::close);
          yield Future.succeededFuture();
        }
        case ACCESS ->
            AccessEngine.builder(vertx)
                .storage(storage)
                .events(events)
                .clock(clock)
                .options(config.accessEngineOptions())
                .start()
                .map(
                    started -> {
                      engine = started;
                      // Its close commits every access log row still pending.
                      opened.push("the access engine", started::close);
                      return null;
                    });
        case MONITORING ->
            Monitoring.open(vertx, config, storage, redis, clock)
                .map(
                    open -> {
                      monitoring = open;
                      opened.push("monitoring", open::close);
                      return null;
                    });
        case HTTP -> listen();
        case HOUSEKEEPING -> {
          // Retention of the audit and access logs is a background job like the collectors: one
          // instance runs it, as a leader job that monitoring's close stops with the others.
          monitoring.addLeaderJob("housekeeping", housekeeping);
          yield Future.succeededFuture();
        }
        case COLLECTORS -> monitoring.startCollecting(config, events).mapEmpty();
      };
    }

    private Future<Void> listen() {
      ClientIp clientIp = ClientIp.trusting(config.trustedProxies());
      SessionTokens tokens = startup.tokens();
      Authenticator authenticator =
          new Authenticator(storage, tokens, Duration.ofSeconds(config.authCacheSeconds()), clock);
      RequestLimits limits =
          new RequestLimits(
              limiter,
              clientIp,
              new RequestLimits.Settings(
                  config.rateLimitPerMinute(),
                  config.rateLimitLoginPerMinute(),
                  config.rateLimitAiPerMinute(),
                  config.loginLockoutFailures(),
                  Duration.ofMinutes(config.loginLockoutMinutes())));
      Actors actors = new Actors(clientIp);
      DeviceRegistry devices = new DeviceRegistry(storage, events, clock);
      devices.onTokensChanged(authenticator::devicesChanged);
      Accounts accounts = new Accounts(storage, passwords, clock);
      accounts.onChange(
          new Accounts.Listener() {
            @Override
            public void userChanged(String userId) {
              authenticator.userChanged(userId);
            }

            @Override
            public void keyRevoked(String keyId) {
              authenticator.keyChanged(keyId);
            }

            @Override
            public void sessionEnded(String tokenId) {
              authenticator.tokenRevoked(tokenId);
            }
          });

      router = Router.router(vertx);
      router.route().handler(new RequestIds());
      router.route().handler(new SecurityHeaders());
      router.route().handler(new RequestLog());
      // Streams stay open for as long as their client wants: the request timeout is not theirs.
      Handler<RoutingContext> timeout =
          TimeoutHandler.create(TimeUnit.SECONDS.toMillis(config.requestTimeoutSeconds()), 503);
      router
          .route()
          .handler(
              ctx -> {
                if (EventRoutes.isStreamPath(ctx.normalizedPath())) {
                  ctx.next();
                } else {
                  timeout.handle(ctx);
                }
              });
      if (!config.corsOrigins().isEmpty()) {
        router.route().handler(SecurityHeaders.cors(config.corsOrigins()));
      }

      Routes routes = new Routes(router, config.maxBodySize());
      AuthRoutes auth = new AuthRoutes(accounts, tokens, limits, actors, startup.accessToken());
      // Cross-cutting handlers are pathless and come before every route with a path: a pathless
      // route matching after a path route would turn that route's 405 into a 404.
      router.route().handler(PathScoped.under("/api", limits.global()));
      router.route().handler(PathScoped.under(EventRoutes.WEBSOCKET_PATH, limits.global()));
      router.route().handler(PathScoped.under("/api/ai", limits.ai()));
      // Login is the one /api route registered before the authenticator, so it is the only one
      // reachable without credentials; every other /api path, known or not, answers 401 first.
      auth.registerLogin(routes);
      router.route().handler(PathScoped.under("/api", authenticator));
      router.route().handler(PathScoped.under("/openapi.json", authenticator));
      router.route().handler(PathScoped.under(EventRoutes.WEBSOCKET_PATH, authenticator));
      new HealthRoutes(storage, VERSION).register(routes);
      new OpsRoutes(registry, config, startup.openApi()).register(routes);
      auth.register(routes);
      new UserRoutes(accounts, actors).register(routes);
      new DeviceRoutes(devices, actors).register(routes);
      new AuditRoutes(storage.audit()).register(routes);
      new SettingsRoutes(storage.settings()).register(routes);
      new AccessRoutes(engine, actors, registry).register(routes);
      SystemRoutes system =
          new SystemRoutes(
              vertx,
              monitoring.monitor,
              storage,
              monitoring.downsampler,
              monitoring.leadership,
              config.dataDir(),
              VERSION,
              clock);
      system.register(routes);
      if (registry != null) {
        system.registerMeters(registry, monitoring.collectors);
      }
      new MetricsRoutes(monitoring.downsampler, config.hostMetricsInterval(), clock)
          .register(routes);
      streams =
          new EventRoutes(
              vertx,
              events,
              authenticator,
              new EventRoutes.Limits(
                  config.eventsPing(), config.eventsMaxPerUser(), config.eventsMaxClients()),
              registry);
      streams.register(routes);

      ErrorHandler errors = new ErrorHandler(routes);
      router.route().failureHandler(errors);
      router.errorHandler(404, errors);
      router.errorHandler(405, errors);
      router.errorHandler(413, errors);
      router.errorHandler(500, errors);

      housekeeping =
          new Housekeeping(
              vertx,
              storage,
              Duration.ofDays(config.auditRetentionDays()),
              Duration.ofDays(config.accessLogRetentionDays()),
              clock);
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
              clientIp);
      HttpServer server =
          vertx.createHttpServer(options).connectionHandler(guard).requestHandler(router);
      return server
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
                    storage.kind().label());
                return null;
              });
    }
  }

  /**
   * Says which address could not be bound: Netty's {@code BindException} names neither the host nor
   * the port, and a taken port is an expected refusal, not a stack trace.
   *
   * @param config the configuration that named the address
   * @param failure why {@code listen()} failed
   * @return a refusal naming the address for a {@code BindException}, else {@code failure}
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
   * @return the port the server listens on
   */
  public int port() {
    return parts.http.actualPort();
  }

  /**
   * @return the store the server uses
   */
  public Storage storage() {
    return parts.storage;
  }

  /**
   * @return the server's event hub
   */
  public EventHub events() {
    return parts.events;
  }

  /**
   * @return the server's access engine
   */
  public AccessEngine accessEngine() {
    return parts.engine;
  }

  /**
   * @return the server's metrics downsampler
   */
  public Downsampler downsampler() {
    return parts.monitoring.downsampler;
  }

  /**
   * @return the router, for embedding apps that add routes of their own
   */
  public Router router() {
    return parts.router;
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
    // The role goes first, so that another instance collects and rolls up while this one drains.
    // Event streams never finish on their own: they end next, so that the grace period is spent on
    // requests that do, and their clients resume elsewhere or after the restart. Then everything
    // the start opened closes, in reverse: the access engine commits its pending rows before the
    // store goes.
    return parts
        .monitoring
        .stepDown()
        .transform(v -> parts.streams.endAll("the server is shutting down"))
        .transform(v -> parts.http.shutdown(timeout.toMillis(), TimeUnit.MILLISECONDS))
        .transform(v -> parts.opened.closeAll())
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
