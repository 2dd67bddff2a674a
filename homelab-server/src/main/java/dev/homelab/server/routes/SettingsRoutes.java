package dev.homelab.server.routes;

import dev.homelab.core.identity.Role;
import dev.homelab.core.store.Setting;
import dev.homelab.core.store.SettingsRepository;
import dev.homelab.server.http.ErrorHandler.ApiException;
import dev.homelab.server.http.Responses;
import dev.homelab.server.http.Routes;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** {@code /api/settings}: the server's key/value settings; everyone reads, admins write. */
public final class SettingsRoutes {

  private final SettingsRepository settings;

  /**
   * @param settings the repository
   */
  public SettingsRoutes(SettingsRepository settings) {
    this.settings = settings;
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
            .list()
            .map(
                all ->
                    new JsonObject()
                        .put(
                            "settings",
                            new JsonArray(all.stream().map(Setting::toJson).toList()))));
  }

  private void get(RoutingContext ctx) {
    String key = ctx.pathParam("key");
    Responses.json(
        ctx,
        200,
        settings
            .get(key)
            .compose(
                setting ->
                    setting == null ? notFound(key) : Future.succeededFuture(setting.toJson())));
  }

  private void put(RoutingContext ctx) {
    Object value = Routes.body(ctx).getValue("value");
    Responses.json(ctx, 200, settings.put(ctx.pathParam("key"), value).map(Setting::toJson));
  }

  private void delete(RoutingContext ctx) {
    String key = ctx.pathParam("key");
    settings
        .delete(key)
        .compose(
            removed -> removed ? Future.<Void>succeededFuture() : notFound(key).<Void>mapEmpty())
        .onSuccess(v -> ctx.response().setStatusCode(204).end())
        .onFailure(ctx::fail);
  }

  private static Future<JsonObject> notFound(String key) {
    return Future.failedFuture(
        new ApiException(404, "SETTING_NOT_FOUND", "no setting named " + key));
  }
}
