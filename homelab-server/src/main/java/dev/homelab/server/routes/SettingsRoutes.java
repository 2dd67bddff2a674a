package dev.homelab.server.routes;

import dev.homelab.core.identity.Role;
import dev.homelab.core.settings.Setting;
import dev.homelab.core.settings.Settings;
import dev.homelab.server.auth.Actors;
import dev.homelab.server.http.Responses;
import dev.homelab.server.http.Routes;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** {@code /api/settings}: the server's key/value settings; everyone reads, admins write. */
public final class SettingsRoutes {

  private final Settings settings;
  private final Actors actors;

  /**
   * @param settings the settings service
   * @param actors builds the actor of a request
   */
  public SettingsRoutes(Settings settings, Actors actors) {
    this.settings = settings;
    this.actors = actors;
  }

  /**
   * @param routes where to register
   */
  public void register(Routes routes) {
    routes.route(HttpMethod.GET, "/api/settings", Role.VIEWER, this::list);
    routes.route(HttpMethod.GET, "/api/settings/:key", Role.VIEWER, this::get);
    routes.jsonRoute(HttpMethod.PUT, "/api/settings/:key", Role.ADMIN, this::put);
    routes.route(HttpMethod.DELETE, "/api/settings/:key", Role.ADMIN, this::delete);
  }

  private void list(RoutingContext ctx) {
    Responses.json(
        ctx,
        200,
        settings
            .list(actors.of(ctx))
            .map(
                all ->
                    new JsonObject()
                        .put(
                            "settings",
                            new JsonArray(all.stream().map(Setting::toJson).toList()))));
  }

  private void get(RoutingContext ctx) {
    Responses.json(
        ctx, 200, settings.get(actors.of(ctx), ctx.pathParam("key")).map(Setting::toJson));
  }

  private void put(RoutingContext ctx) {
    Object value = Routes.body(ctx).getValue("value");
    Responses.json(
        ctx, 200, settings.put(actors.of(ctx), ctx.pathParam("key"), value).map(Setting::toJson));
  }

  private void delete(RoutingContext ctx) {
    Responses.noContent(ctx, settings.delete(actors.of(ctx), ctx.pathParam("key")));
  }
}
