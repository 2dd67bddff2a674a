package dev.homelab.server.routes;

import dev.homelab.core.devices.Device;
import dev.homelab.core.devices.DevicePatch;
import dev.homelab.core.devices.DeviceQuery;
import dev.homelab.core.devices.NewDevice;
import dev.homelab.core.devices.OwnerFilter;
import dev.homelab.core.events.EventHub;
import dev.homelab.core.events.Visibility;
import dev.homelab.core.identity.Role;
import dev.homelab.core.store.Storage;
import dev.homelab.server.audit.AuditTrail;
import dev.homelab.server.auth.ApiKeySecrets;
import dev.homelab.server.auth.Authenticator;
import dev.homelab.server.auth.Principal;
import dev.homelab.server.http.ErrorHandler.ApiException;
import dev.homelab.server.http.Params;
import dev.homelab.server.http.Responses;
import dev.homelab.server.http.Routes;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.regex.Pattern;

/**
 * {@code /api/devices}: the device registry. Each user sees and changes only their own devices
 * (admins all of them); another user's device answers 404 exactly like a missing one.
 */
public final class DeviceRoutes {

  private static final Pattern UUID =
      Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

  private final Storage storage;
  private final EventHub events;
  private final AuditTrail audit;
  private final Authenticator authenticator;

  /**
   * @param storage the store
   * @param events where {@code device.changed} is published
   * @param audit the audit trail
   * @param authenticator told when a device token stops being valid
   */
  public DeviceRoutes(
      Storage storage, EventHub events, AuditTrail audit, Authenticator authenticator) {
    this.storage = storage;
    this.events = events;
    this.audit = audit;
    this.authenticator = authenticator;
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

  private static OwnerFilter filter(RoutingContext ctx) {
    Principal principal = Principal.of(ctx);
    return principal.isAdmin() ? OwnerFilter.any() : OwnerFilter.only(principal.userId());
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
        storage
            .devices()
            .list(filter(ctx), query)
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
    Principal principal = Principal.of(ctx);
    storage
        .devices()
        .create(principal.userId(), device)
        .compose(created -> changed(ctx, created, "created").map(created))
        .onSuccess(created -> Responses.json(ctx, 201, created.toJson()))
        .onFailure(ctx::fail);
  }

  private void get(RoutingContext ctx) {
    String id = id(ctx);
    Responses.json(
        ctx,
        200,
        storage.devices().get(filter(ctx), id).compose(d -> found(d, id)).map(Device::toJson));
  }

  private void update(RoutingContext ctx) {
    String id = id(ctx);
    DevicePatch patch = DevicePatch.fromJson(Routes.body(ctx));
    Future<Device> updated =
        patch.isEmpty()
            ? storage.devices().get(filter(ctx), id)
            : storage.devices().update(filter(ctx), id, patch);
    updated
        .compose(d -> found(d, id))
        .compose(
            d -> patch.isEmpty() ? Future.succeededFuture(d) : changed(ctx, d, "updated").map(d))
        .onSuccess(d -> Responses.json(ctx, 200, d.toJson()))
        .onFailure(ctx::fail);
  }

  private void delete(RoutingContext ctx) {
    String id = id(ctx);
    OwnerFilter filter = filter(ctx);
    storage
        .devices()
        .get(filter, id)
        .compose(d -> found(d, id))
        .compose(
            d ->
                storage
                    .devices()
                    .delete(filter, id)
                    .compose(removed -> removed ? Future.succeededFuture(d) : found(null, id))
                    .onSuccess(removed -> authenticator.devicesChanged()))
        .compose(
            d ->
                audit
                    .success(
                        ctx,
                        "device.deleted",
                        "device:" + id,
                        new JsonObject().put("name", d.name()))
                    .compose(done -> changed(ctx, d, "deleted")))
        .onSuccess(done -> ctx.response().setStatusCode(204).end())
        .onFailure(ctx::fail);
  }

  private void issueToken(RoutingContext ctx) {
    String id = id(ctx);
    String token = ApiKeySecrets.DEVICE_TOKEN_PREFIX + ApiKeySecrets.newSecret();
    storage
        .devices()
        .setTokenHash(filter(ctx), id, ApiKeySecrets.hash(token))
        .compose(set -> set ? Future.succeededFuture() : found(null, id))
        .onSuccess(set -> authenticator.devicesChanged()) // the old token stops working here now
        .compose(set -> audit.success(ctx, "device.token_issued", "device:" + id, new JsonObject()))
        .onSuccess(
            done ->
                Responses.json(ctx, 201, new JsonObject().put("device_id", id).put("token", token)))
        .onFailure(ctx::fail);
  }

  /** Audits a creation and publishes the change to the owner (and admins). */
  private Future<Void> changed(RoutingContext ctx, Device device, String change) {
    Future<Void> audited =
        "created".equals(change)
            ? audit.success(
                ctx,
                "device.created",
                "device:" + device.id(),
                new JsonObject().put("name", device.name()))
            : Future.succeededFuture();
    return audited.compose(
        done ->
            events
                .publish(
                    "device.changed",
                    new JsonObject()
                        .put("change", change)
                        .put(
                            "device",
                            change.equals("deleted")
                                ? new JsonObject().put("id", device.id())
                                : device.toJson()),
                    Visibility.owner(device.ownerId()))
                .<Void>mapEmpty()
                .recover(closed -> Future.succeededFuture()));
  }

  /** The path id; anything that is not a UUID cannot name a device, so it is simply not found. */
  private static String id(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    if (!UUID.matcher(id).matches()) {
      throw new ApiException(404, "DEVICE_NOT_FOUND", "no device with this id");
    }
    return id;
  }

  private static <T> Future<T> found(T device, String id) {
    return device == null
        ? Future.failedFuture(new ApiException(404, "DEVICE_NOT_FOUND", "no device with id " + id))
        : Future.succeededFuture(device);
  }
}
