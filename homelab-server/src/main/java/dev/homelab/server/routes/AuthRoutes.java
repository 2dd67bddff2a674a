package dev.homelab.server.routes;

import dev.homelab.core.ValidationException;
import dev.homelab.core.audit.AuditEntry;
import dev.homelab.core.identity.ApiKey;
import dev.homelab.core.identity.KeyScope;
import dev.homelab.core.identity.Role;
import dev.homelab.core.identity.User;
import dev.homelab.core.internal.Texts;
import dev.homelab.core.store.Storage;
import dev.homelab.server.audit.AuditTrail;
import dev.homelab.server.auth.ApiKeySecrets;
import dev.homelab.server.auth.Authenticator;
import dev.homelab.server.auth.Passwords;
import dev.homelab.server.auth.Principal;
import dev.homelab.server.auth.RequestLimits;
import dev.homelab.server.auth.SessionTokens;
import dev.homelab.server.http.ErrorHandler.ApiException;
import dev.homelab.server.http.Params;
import dev.homelab.server.http.Responses;
import dev.homelab.server.http.Routes;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Set;

/**
 * {@code /api/auth}: login with the access token or a password, logout, the current principal, and
 * the caller's API keys.
 */
public final class AuthRoutes {

  private static final Set<String> LOGIN_FIELDS = Set.of("token", "username", "password");
  private static final Set<String> KEY_FIELDS = Set.of("name", "scope", "expires_at");
  private static final int MAX_CREDENTIAL_LENGTH = 1024;

  private final Storage storage;
  private final Passwords passwords;
  private final SessionTokens tokens;
  private final Authenticator authenticator;
  private final RequestLimits limits;
  private final AuditTrail audit;
  private final String accessToken;
  private final Clock clock;

  /**
   * @param storage the store
   * @param passwords the password hasher
   * @param tokens issues session tokens
   * @param authenticator told about revocations
   * @param limits login limits and lockout
   * @param audit the audit trail
   * @param accessToken the built-in administrator's access token
   * @param clock the clock
   */
  public AuthRoutes(
      Storage storage,
      Passwords passwords,
      SessionTokens tokens,
      Authenticator authenticator,
      RequestLimits limits,
      AuditTrail audit,
      String accessToken,
      Clock clock) {
    this.storage = storage;
    this.passwords = passwords;
    this.tokens = tokens;
    this.authenticator = authenticator;
    this.limits = limits;
    this.audit = audit;
    this.accessToken = accessToken;
    this.clock = clock;
  }

  /**
   * Registers {@code POST /api/auth/login}, the one route reachable without credentials: call it
   * before the authenticator is installed.
   *
   * @param routes where to register
   */
  public void registerLogin(Routes routes) {
    routes.jsonRoute(HttpMethod.POST, "/api/auth/login", this::login);
    // Public, so its other methods are answered 405 rather than 401 by the authenticator.
    routes.refuseOtherMethods("/api/auth/login");
  }

  /**
   * Registers the routes that need a principal: call it after the authenticator is installed.
   *
   * @param routes where to register
   */
  public void register(Routes routes) {
    routes.route(HttpMethod.POST, "/api/auth/logout", Role.VIEWER, this::logout);
    routes.route(HttpMethod.GET, "/api/auth/me", Role.VIEWER, this::me);
    routes.route(HttpMethod.GET, "/api/auth/keys", Role.VIEWER, this::listKeys);
    routes.jsonRoute(HttpMethod.POST, "/api/auth/keys", Role.VIEWER, this::createKey);
    routes.route(HttpMethod.DELETE, "/api/auth/keys/:id", Role.VIEWER, this::revokeKey);
  }

  private void login(RoutingContext ctx) {
    JsonObject body = Routes.body(ctx);
    Params.onlyFields(body, LOGIN_FIELDS);
    boolean byToken = body.containsKey("token");
    if (byToken == (body.containsKey("username") || body.containsKey("password"))) {
      throw new ValidationException(
          "token", "give either token, or username and password, but not both");
    }
    String account;
    Future<User> checked;
    if (byToken) {
      String token = credential(body, "token");
      account = User.BUILTIN_ADMIN;
      checked =
          limits
              .admitLogin(ctx, account)
              .compose(
                  admitted ->
                      Passwords.constantTimeEquals(token, accessToken)
                          ? storage.users().ensureBuiltinAdmin()
                          : Future.succeededFuture());
    } else {
      String username = credential(body, "username");
      String password = credential(body, "password");
      account = username;
      checked =
          limits
              .admitLogin(ctx, account)
              .compose(admitted -> storage.users().byUsername(username))
              .compose(
                  user ->
                      passwords
                          .verify(password, user == null ? null : user.passwordHash())
                          .map(ok -> ok && !user.disabled() ? user : null));
    }
    String method = byToken ? "token" : "password";
    checked
        .compose(
            user -> user == null ? loginFailed(ctx, account, method) : loginOk(ctx, user, method))
        .onSuccess(answer -> Responses.json(ctx, 200, answer))
        .onFailure(ctx::fail);
  }

  private Future<JsonObject> loginOk(RoutingContext ctx, User user, String method) {
    SessionTokens.Issued issued = tokens.issue(user);
    return limits
        .loginSucceeded(user.username())
        .compose(
            reset ->
                audit.record(
                    ctx,
                    "auth.login",
                    AuditEntry.SUCCESS,
                    user.id(),
                    user.username(),
                    "session:" + issued.id(),
                    new JsonObject().put("method", method)))
        .map(
            recorded ->
                new JsonObject()
                    .put("success", true)
                    .put("jwt", issued.token())
                    .put("expires_in", issued.expiresInSeconds())
                    .put("token_type", "Bearer"));
  }

  private Future<JsonObject> loginFailed(RoutingContext ctx, String account, String method) {
    // People type passwords into the username field: a name that cannot be a username is not
    // recorded, only the fact that it was invalid.
    String actor;
    try {
      actor = User.validateUsername(account);
    } catch (ValidationException notAName) {
      actor = null;
    }
    String actorName = actor;
    return limits
        .loginFailed(account)
        .compose(
            counted ->
                audit.record(
                    ctx,
                    "auth.login_failed",
                    AuditEntry.FAILURE,
                    null,
                    actorName,
                    null,
                    new JsonObject()
                        .put("method", method)
                        .put("username_valid", actorName != null)))
        .compose(
            recorded ->
                Future.failedFuture(
                    new ApiException(401, "INVALID_CREDENTIALS", "invalid credentials")));
  }

  private static String credential(JsonObject body, String field) {
    Object value = body.getValue(field);
    if (!(value instanceof String text) || !Texts.lengthBetween(text, 1, MAX_CREDENTIAL_LENGTH)) {
      throw new ValidationException(
          field, field + " must be a string of 1 to " + MAX_CREDENTIAL_LENGTH + " characters");
    }
    return text;
  }

  private void logout(RoutingContext ctx) {
    Principal principal = Principal.of(ctx);
    if (!Principal.JWT.equals(principal.credentialType())) {
      throw new ApiException(
          400,
          "NOT_A_SESSION",
          "logout ends a login session; revoke an API key with DELETE /api/auth/keys/{id}");
    }
    storage
        .revokedTokens()
        .revoke(principal.credentialId(), principal.expiresAt())
        .onSuccess(revoked -> authenticator.tokenRevoked(principal.credentialId()))
        .compose(
            revoked ->
                audit.success(
                    ctx, "auth.logout", "session:" + principal.credentialId(), new JsonObject()))
        .onSuccess(done -> ctx.response().setStatusCode(204).end())
        .onFailure(ctx::fail);
  }

  private void me(RoutingContext ctx) {
    Responses.json(ctx, 200, Principal.of(ctx).toJson());
  }

  private void listKeys(RoutingContext ctx) {
    Responses.json(
        ctx,
        200,
        storage
            .apiKeys()
            .listByUser(Principal.of(ctx).userId())
            .map(
                keys ->
                    new JsonObject()
                        .put("keys", new JsonArray(keys.stream().map(ApiKey::toJson).toList()))));
  }

  private void createKey(RoutingContext ctx) {
    Principal principal = Principal.of(ctx);
    if (!Principal.JWT.equals(principal.credentialType())) {
      throw new ApiException(
          403, "FORBIDDEN", "API keys can be created only from a login session, not with a key");
    }
    JsonObject body = Routes.body(ctx);
    Params.onlyFields(body, KEY_FIELDS);
    Object name = body.getValue("name");
    if (!(name instanceof String text)
        || Texts.isBlank(text)
        || Texts.length(text) > ApiKey.MAX_NAME_LENGTH) {
      throw new ValidationException(
          "name",
          "name must be a non-blank string of at most " + ApiKey.MAX_NAME_LENGTH + " characters");
    }
    KeyScope scope =
        body.getValue("scope") == null
            ? KeyScope.of(principal.role())
            : KeyScope.parse("scope", body.getValue("scope"));
    if (!principal.role().atLeast(scope.requiredToCreate())) {
      throw new ValidationException(
          "scope",
          scope == KeyScope.ACCESS
              ? "only administrators may create access keys"
              : "scope may not exceed your own role, " + principal.role().label());
    }
    Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
    Instant expiresAt =
        body.getValue("expires_at") == null
            ? null
            : Params.instant("expires_at", body.getValue("expires_at"));
    if (expiresAt != null && !expiresAt.isAfter(now)) {
      throw new ValidationException("expires_at", "expires_at must be in the future");
    }
    String id = ApiKeySecrets.newId();
    String secret = ApiKeySecrets.newSecret();
    ApiKey key =
        new ApiKey(
            id,
            principal.userId(),
            text.strip(),
            scope,
            ApiKeySecrets.hash(secret),
            now,
            expiresAt == null ? null : expiresAt.truncatedTo(ChronoUnit.MILLIS));
    storage
        .apiKeys()
        .create(key)
        .compose(
            created ->
                audit.success(
                    ctx,
                    "auth.key_created",
                    "api_key:" + id,
                    new JsonObject().put("name", created.name()).put("scope", scope.label())))
        .onSuccess(
            done ->
                Responses.json(ctx, 201, key.toJson().put("key", ApiKeySecrets.format(id, secret))))
        .onFailure(ctx::fail);
  }

  private void revokeKey(RoutingContext ctx) {
    Principal principal = Principal.of(ctx);
    String id = ctx.pathParam("id");
    storage
        .apiKeys()
        .byId(id)
        .compose(
            key -> {
              if (key == null
                  || !(principal.isAdmin() || key.userId().equals(principal.userId()))) {
                return Future.failedFuture(
                    new ApiException(404, "API_KEY_NOT_FOUND", "no API key with id " + id));
              }
              return storage.apiKeys().delete(id).map(key);
            })
        .compose(
            key -> {
              authenticator.keyChanged(id);
              return audit.success(
                  ctx,
                  "auth.key_revoked",
                  "api_key:" + id,
                  new JsonObject().put("name", key.name()).put("owner", key.userId()));
            })
        .onSuccess(done -> ctx.response().setStatusCode(204).end())
        .onFailure(ctx::fail);
  }
}
