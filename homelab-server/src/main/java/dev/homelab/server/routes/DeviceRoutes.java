package dev.homelab.server.routes;

import dev.homelab.core.devices.Device;
import dev.homelab.core.devices.DevicePatch;
import dev.homelab.core.devices.DeviceQuery;
import dev.homelab.core.devices.DeviceRegistry;
import dev.homelab.core.devices.NewDevice;
import dev.homelab.core.identity.Role;
import dev.homelab.server.auth.Actors;
import dev.homelab.server.http.Params;
import dev.homelab.server.http.Responses;
import dev.homelab.server.http.Routes;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code /api/devices}: the device registry over HTTP. The rules (who sees which device, audit,
 * events, tokens) are the {@link DeviceRegistry}'s; these handlers translate HTTP.
 */
public final class DeviceRoutes {

  private final DeviceRegistry registry;
  private final Actors actors;

  /**
   * @param registry the device registry
   * @param actors builds the actor of a request
   */
  public DeviceRoutes(DeviceRegistry registry, Actors actors) {
    this.registry = registry;
    this.actors = actors;
  }

  /**
   * @param routes where to register
   */
  public void register(Routes routes) {
    routes.route(HttpMethod.GET, "/api/devices", Role.VIEWER, this::list);
    routes.jsonRoute(HttpMethod.POST, "/api/devices", Role.USER, this::create);
    routes.route(HttpMethod.GET, "/api/devices/:id", Role.VIEWER, this::get);
    routes.jsonRoute(HttpMethod.PATCH, "/api/devices/:id", Role.USER, this::update);
    routes.route(HttpMethod.DELETE, "/api/devices/:id", Role.USER, this::delete);
    routes.route(HttpMethod.POST, "/api/devices/:id/token", Role.USER, this::issueToken);
  }

  private void list(RoutingContext ctx) {
    DeviceQuery query =
        new DeviceQuery(
            Params.text(ctx, "device_type"),
            Params.integer(ctx, "limit", DeviceQuery.DEFAULT_LIMIT, 1, DeviceQuery.MAX_LIMIT),
            Params.text(ctx, "cursor"));
    Responses.json(
        ctx,
        200,
        registry
            .list(actors.of(ctx), query)
            .map(
                page ->
                    new JsonObject()
                        .put(
                            "devices",
                            new JsonArray(page.items().stream().map(Device::toJson).toList()))
                        .put("next_cursor", page.nextCursor())));
  }

  private void create(RoutingContext ctx) {
    NewDevice device = NewDevice.fromJson(Routes.body(ctx));
    Responses.json(ctx, 201, registry.create(actors.of(ctx), device).map(Device::toJson));
  }

  private void get(RoutingContext ctx) {
    Responses.json(ctx, 200, registry.get(actors.of(ctx), ctx.pathParam("id")).map(Device::toJson));
  }

  private void update(RoutingContext ctx) {
    DeviceRegistry.requireId(ctx.pathParam("id")); // an unknown device before a bad body
    DevicePatch patch = DevicePatch.fromJson(Routes.body(ctx));
    Responses.json(
        ctx, 200, registry.update(actors.of(ctx), ctx.pathParam("id"), patch).map(Device::toJson));
  }

  private void delete(RoutingContext ctx) {
    Responses.noContent(ctx, registry.delete(actors.of(ctx), ctx.pathParam("id")));
  }

  private void issueToken(RoutingContext ctx) {
    Responses.json(
        ctx,
        201,
        registry
            .issueToken(actors.of(ctx), ctx.pathParam("id"))
            .map(
                issued ->
                    new JsonObject()
                        .put("device_id", issued.deviceId())
                        .put("token", issued.token())));
  }
}
