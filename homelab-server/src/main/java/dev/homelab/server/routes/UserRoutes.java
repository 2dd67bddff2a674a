package dev.homelab.server.routes;

import dev.homelab.core.ConflictException;
import dev.homelab.core.ValidationException;
import dev.homelab.core.identity.Role;
import dev.homelab.core.identity.User;
import dev.homelab.core.identity.UserUpdate;
import dev.homelab.core.store.Storage;
import dev.homelab.server.audit.AuditTrail;
import dev.homelab.server.auth.Authenticator;
import dev.homelab.server.auth.Passwords;
import dev.homelab.server.http.ErrorHandler.ApiException;
import dev.homelab.server.http.Params;
import dev.homelab.server.http.Responses;
import dev.homelab.server.http.Routes;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.Set;

/** {@code /api/users}: user administration, for administrators only. */
public final class UserRoutes {

  private static final Set<String> CREATE_FIELDS = Set.of("username", "password", "role");
  private static final Set<String> PATCH_FIELDS = Set.of("role", "password", "disabled");

  private final Storage storage;
  private final Passwords passwords;
  private final Authenticator authenticator;
  private final AuditTrail audit;

  /**
   * @param storage the store
   * @param passwords the password hasher
   * @param authenticator told about changed users
   * @param audit the audit trail
   */
  public UserRoutes(
      Storage storage, Passwords passwords, Authenticator authenticator, AuditTrail audit) {
    this.storage = storage;
    this.passwords = passwords;
    this.authenticator = authenticator;
    this.audit = audit;
  }

  /**
   * @param routes where to register
   */
  public void register(Routes routes) {
    routes.route(HttpMethod.GET, "/api/users", Role.ADMIN, this::list);
    routes.jsonRoute(HttpMethod.POST, "/api/users", Role.ADMIN, this::create);
    routes.route(HttpMethod.GET, "/api/users/:id", Role.ADMIN, this::get);
    routes.jsonRoute(HttpMethod.PATCH, "/api/users/:id", Role.ADMIN, this::update);
    routes.route(HttpMethod.DELETE, "/api/users/:id", Role.ADMIN, this::delete);
  }

  private void list(RoutingContext ctx) {
    Responses.json(
        ctx,
        200,
        storage
            .users()
            .list()
            .map(
                users ->
                    new JsonObject()
                        .put("users", new JsonArray(users.stream().map(User::toJson).toList()))));
  }

  private void create(RoutingContext ctx) {
    JsonObject body = Routes.body(ctx);
    Params.onlyFields(body, CREATE_FIELDS);
    String username = User.validateUsername(body.getValue("username"));
    String password = User.validatePassword(body.getValue("password"));
    Role role = Role.parse("role", body.getValue("role"));
    // The store refuses a taken name too (USERNAME_TAKEN); asking first only spares the
    // deliberately slow password hash for a request that cannot succeed.
    storage
        .users()
        .byUsername(username)
        .compose(
            existing ->
                existing != null
                    ? Future.failedFuture(
                        new ConflictException(
                            "USERNAME_TAKEN", "the username " + username + " is taken"))
                    : passwords.hash(password))
        .compose(hash -> storage.users().create(username, role, hash))
        .compose(
            user ->
                audit
                    .success(
                        ctx,
                        "user.created",
                        "user:" + user.id(),
                        new JsonObject().put("username", username).put("role", role.label()))
                    .map(user))
        .onSuccess(user -> Responses.json(ctx, 201, user.toJson()))
        .onFailure(ctx::fail);
  }

  private void get(RoutingContext ctx) {
    Responses.json(ctx, 200, existing(ctx.pathParam("id")).map(User::toJson));
  }

  private void update(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    JsonObject body = Routes.body(ctx);
    Params.onlyFields(body, PATCH_FIELDS);
    if (body.isEmpty()) {
      throw new ValidationException("role", "give at least one of role, password, disabled");
    }
    Role role = body.containsKey("role") ? Role.parse("role", body.getValue("role")) : null;
    String password =
        body.containsKey("password") ? User.validatePassword(body.getValue("password")) : null;
    Boolean disabled = null;
    if (body.containsKey("disabled")) {
      if (!(body.getValue("disabled") instanceof Boolean flag)) {
        throw new ValidationException("disabled", "disabled must be true or false");
      }
      disabled = flag;
    }
    Boolean disable = disabled;
    existing(id)
        .compose(this::changeable)
        .compose(user -> password == null ? Future.succeededFuture(null) : passwords.hash(password))
        .compose(hash -> storage.users().update(id, new UserUpdate(role, hash, disable)))
        .compose(user -> user == null ? notFound(id) : Future.succeededFuture(user))
        .compose(
            user -> {
              authenticator.userChanged(id);
              return audit
                  .success(
                      ctx,
                      "user.updated",
                      "user:" + id,
                      new JsonObject()
                          .put("username", user.username())
                          .put(
                              "changed",
                              new JsonArray(body.fieldNames().stream().sorted().toList()))
                          .put("role", user.role().label())
                          .put("disabled", user.disabled()))
                  .map(user);
            })
        .onSuccess(user -> Responses.json(ctx, 200, user.toJson()))
        .onFailure(ctx::fail);
  }

  private void delete(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    existing(id)
        .compose(this::changeable)
        .compose(user -> storage.users().delete(id).map(user))
        .compose(
            user -> {
              authenticator.userChanged(id);
              return audit.success(
                  ctx,
                  "user.deleted",
                  "user:" + id,
                  new JsonObject().put("username", user.username()));
            })
        .onSuccess(done -> ctx.response().setStatusCode(204).end())
        .onFailure(ctx::fail);
  }

  private Future<User> existing(String id) {
    return storage
        .users()
        .byId(id)
        .compose(user -> user == null ? notFound(id) : Future.succeededFuture(user));
  }

  private Future<User> changeable(User user) {
    return user.builtin()
        ? Future.failedFuture(
            new ConflictException(
                "BUILTIN_USER", "the built-in administrator cannot be changed or deleted"))
        : Future.succeededFuture(user);
  }

  private static Future<User> notFound(String id) {
    return Future.failedFuture(new ApiException(404, "USER_NOT_FOUND", "no user with id " + id));
  }
}
