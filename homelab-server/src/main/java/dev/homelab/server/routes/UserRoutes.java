package dev.homelab.server.routes;

import dev.homelab.core.identity.Accounts;
import dev.homelab.core.identity.NewUser;
import dev.homelab.core.identity.Role;
import dev.homelab.core.identity.User;
import dev.homelab.core.identity.UserPatch;
import dev.homelab.server.auth.Actors;
import dev.homelab.server.http.Responses;
import dev.homelab.server.http.Routes;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code /api/users}: user administration, for administrators only. The rules are {@link
 * Accounts}'; these handlers translate HTTP.
 */
public final class UserRoutes {

  private final Accounts accounts;
  private final Actors actors;

  /**
   * @param accounts the accounts service
   * @param actors builds the actor of a request
   */
  public UserRoutes(Accounts accounts, Actors actors) {
    this.accounts = accounts;
    this.actors = actors;
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
        accounts
            .users(actors.of(ctx))
            .map(
                users ->
                    new JsonObject()
                        .put("users", new JsonArray(users.stream().map(User::toJson).toList()))));
  }

  private void create(RoutingContext ctx) {
    NewUser user = NewUser.fromJson(Routes.body(ctx));
    Responses.json(ctx, 201, accounts.createUser(actors.of(ctx), user).map(User::toJson));
  }

  private void get(RoutingContext ctx) {
    Responses.json(ctx, 200, accounts.user(actors.of(ctx), ctx.pathParam("id")).map(User::toJson));
  }

  private void update(RoutingContext ctx) {
    UserPatch patch = UserPatch.fromJson(Routes.body(ctx));
    Responses.json(
        ctx,
        200,
        accounts.updateUser(actors.of(ctx), ctx.pathParam("id"), patch).map(User::toJson));
  }

  private void delete(RoutingContext ctx) {
    Responses.noContent(ctx, accounts.deleteUser(actors.of(ctx), ctx.pathParam("id")));
  }
}
