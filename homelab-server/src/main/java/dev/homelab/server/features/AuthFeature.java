package dev.homelab.server.features;

import dev.homelab.core.identity.Accounts;
import dev.homelab.core.identity.Passwords;
import dev.homelab.server.ServerConfig;
import dev.homelab.server.auth.Actors;
import dev.homelab.server.auth.Authenticator;
import dev.homelab.server.auth.ClientIp;
import dev.homelab.server.auth.RateLimiter;
import dev.homelab.server.auth.RequestLimits;
import dev.homelab.server.auth.impl.MemoryRateLimiter;
import dev.homelab.server.auth.impl.RedisRateLimiter;
import dev.homelab.server.http.PathScoped;
import dev.homelab.server.http.Routes;
import dev.homelab.server.routes.AuthRoutes;
import dev.homelab.server.routes.EventRoutes;
import dev.homelab.server.routes.UserRoutes;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;

/**
 * Who may call: rate limits and login lockout (in memory, or shared through Redis), password
 * hashing, the authenticator of sessions, API keys and device tokens, the accounts service, and the
 * {@code /api/auth} and {@code /api/users} routes.
 */
public final class AuthFeature implements Feature {

  private final ServerContext context;
  private final SecretsFeature secrets;
  private final StorageFeature storage;
  private final RedisFeature redis;
  private final ClientIp clientIp;
  private RequestLimits limits;
  private Passwords passwords;
  private Authenticator authenticator;
  private Accounts accounts;
  private Actors actors;

  /**
   * @param context the server's context
   * @param secrets the session tokens and the access token
   * @param storage the accounts' store
   * @param redis shares the limits between instances, when configured
   */
  public AuthFeature(
      ServerContext context, SecretsFeature secrets, StorageFeature storage, RedisFeature redis) {
    this.context = context;
    this.secrets = secrets;
    this.storage = storage;
    this.redis = redis;
    this.clientIp = ClientIp.trusting(context.config().trustedProxies());
  }

  @Override
  public String name() {
    return "auth";
  }

  @Override
  public Future<Void> start(CloseStack opened) {
    ServerConfig config = context.config();
    RateLimiter limiter =
        redis.redis() == null
            ? new MemoryRateLimiter(() -> System.nanoTime() / 1_000_000)
            : new RedisRateLimiter(redis.redis(), config.redisKeyPrefix());
    opened.push("the rate limits", limiter::close);
    limits =
        new RequestLimits(
            limiter,
            clientIp,
            new RequestLimits.Settings(
                config.rateLimitPerMinute(),
                config.rateLimitLoginPerMinute(),
                config.rateLimitAiPerMinute(),
                config.loginLockoutFailures(),
                Duration.ofMinutes(config.loginLockoutMinutes())));
    return Passwords.create(context.vertx())
        .map(
            created -> {
              passwords = created;
              opened.push("the password hashing pool", created::close);
              authenticator =
                  new Authenticator(
                      storage.storage(),
                      secrets.tokens(),
                      Duration.ofSeconds(config.authCacheSeconds()),
                      context.clock());
              actors = new Actors(clientIp);
              accounts = new Accounts(storage.storage(), passwords, context.clock());
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
              return null;
            });
  }

  /**
   * Installs the limits, the one public route (login) and then the authenticator, before any other
   * route: every other {@code /api} path, known or not, answers 401 without credentials.
   *
   * @param router the router
   * @param routes where login is registered
   */
  void guard(Router router, Routes routes) {
    // Cross-cutting handlers are pathless and come before every route with a path: a pathless
    // route matching after a path route would turn that route's 405 into a 404.
    router.route().handler(PathScoped.under("/api", limits.global()));
    router.route().handler(PathScoped.under(EventRoutes.WEBSOCKET_PATH, limits.global()));
    router.route().handler(PathScoped.under("/openapi.json", limits.global()));
    routes().registerLogin(routes);
    router.route().handler(PathScoped.under("/api", authenticator));
    router.route().handler(PathScoped.under(EventRoutes.WEBSOCKET_PATH, authenticator));
    // After the credentials: a request without valid ones is a 401 (and counts against the global
    // limit); only callers who may use the AI hub spend the AI limit. Reading the process list
    // spends nothing of the hub's model and the dashboard refreshes it: only the global limit.
    Handler<RoutingContext> aiLimit = limits.ai();
    router
        .route()
        .handler(
            PathScoped.under(
                "/api/ai",
                ctx -> {
                  if (ctx.request().method() == HttpMethod.GET
                      && ctx.normalizedPath().equals("/api/ai/processes")) {
                    ctx.next();
                  } else {
                    aiLimit.handle(ctx);
                  }
                }));
  }

  private AuthRoutes routes() {
    return new AuthRoutes(accounts, secrets.tokens(), limits, actors, secrets.accessToken());
  }

  @Override
  public void routes(Routes routes) {
    routes().register(routes);
    new UserRoutes(accounts, actors).register(routes);
  }

  /**
   * @return resolves client addresses through the trusted proxies
   */
  public ClientIp clientIp() {
    return clientIp;
  }

  /**
   * @return checks credentials, and drops cached ones when told
   */
  public Authenticator authenticator() {
    return authenticator;
  }

  /**
   * @return builds the actor of a request
   */
  public Actors actors() {
    return actors;
  }
}
