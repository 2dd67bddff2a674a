package dev.homelab.server.routes;

import dev.homelab.core.ValidationException;
import dev.homelab.core.identity.Accounts;
import dev.homelab.core.identity.ApiKey;
import dev.homelab.core.identity.NewApiKey;
import dev.homelab.core.identity.Passwords;
import dev.homelab.core.identity.Role;
import dev.homelab.core.identity.User;
import dev.homelab.core.internal.JsonInput;
import dev.homelab.core.internal.Texts;
import dev.homelab.server.auth.Actors;
import dev.homelab.server.auth.Principal;
import dev.homelab.server.auth.RequestLimits;
import dev.homelab.server.auth.SessionTokens;
import dev.homelab.server.http.ErrorHandler.ApiException;
import dev.homelab.server.http.Responses;
import dev.homelab.server.http.Routes;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.Set;

/**
 * {@code /api/auth}: login with the access token or a password, logout, the current principal, and
 * the caller's API keys. The account rules and their audit are {@link Accounts}'; login adds what
 * only HTTP has: rate limits and lockout, and the session token it issues.
 */
public final class AuthRoutes {

  private static final Set<String> LOGIN_FIELDS = Set.of("token", "username", "password");
  private static final int MAX_CREDENTIAL_LENGTH = 1024;

  private final Accounts accounts;
  private final SessionTokens tokens;
  private final RequestLimits limits;
  private final Actors actors;
  private final String accessToken;

  /**
   * @param accounts the accounts service
   * @param tokens issues session tokens
   * @param limits login limits and lockout
   * @param actors builds the actor of a request
   * @param accessToken the built-in administrator's access token
   */
  public AuthRoutes(
      Accounts accounts,
      SessionTokens tokens,
      RequestLimits limits,
      Actors actors,
      String accessToken) {
    this.accounts = accounts;
    this.tokens = tokens;
    this.limits = limits;
    this.actors = actors;
    this.accessToken = accessToken;
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
    JsonInput.onlyFields(body, LOGIN_FIELDS);
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
                          ? accounts.builtinAdmin()
                          : Future.succeededFuture());
    } else {
      String username = credential(body, "username");
      String password = credential(body, "password");
      account = username;
      checked =
          limits
              .admitLogin(ctx, account)
              .compose(admitted -> accounts.checkPassword(username, password));
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
        .compose(reset -> accounts.recordLogin(actors.of(ctx, user), true, issued.id(), method))
        .map(
            recorded ->
                new JsonObject()
                    .put("success", true)
                    .put("jwt", issued.token())
                    .put("expires_in", issued.expiresInSeconds())
                    .put("token_type", "Bearer"));
  }

  private Future<JsonObject> loginFailed(RoutingContext ctx, String account, String method) {
    return limits
        .loginFailed(account)
        .compose(
            counted ->
                accounts.recordLogin(actors.unauthenticated(ctx, account), false, null, method))
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
    Responses.noContent(
        ctx, accounts.endSession(actors.of(ctx), principal.credentialId(), principal.expiresAt()));
  }

  private void me(RoutingContext ctx) {
    Responses.json(ctx, 200, Principal.of(ctx).toJson());
  }

  private void listKeys(RoutingContext ctx) {
    Responses.json(
        ctx,
        200,
        accounts
            .keys(actors.of(ctx))
            .map(
                keys ->
                    new JsonObject()
                        .put("keys", new JsonArray(keys.stream().map(ApiKey::toJson).toList()))));
  }

  private void createKey(RoutingContext ctx) {
    // Which credential asked is the transport's to know: a key may not mint keys.
    if (!Principal.JWT.equals(Principal.of(ctx).credentialType())) {
      throw new ApiException(
          403, "FORBIDDEN", "API keys can be created only from a login session, not with a key");
    }
    NewApiKey key = NewApiKey.fromJson(Routes.body(ctx));
    Responses.json(
        ctx,
        201,
        accounts
            .createKey(actors.of(ctx), key)
            .map(created -> created.key().toJson().put("key", created.secret())));
  }

  private void revokeKey(RoutingContext ctx) {
    Responses.noContent(ctx, accounts.revokeKey(actors.of(ctx), ctx.pathParam("id")));
  }
}
