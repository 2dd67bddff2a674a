package dev.homelab.server.features;

import dev.homelab.core.devices.DeviceRegistry;
import dev.homelab.server.http.Routes;
import dev.homelab.server.routes.DeviceRoutes;
import io.vertx.core.Future;

/** The device registry and {@code /api/devices}. */
public final class DevicesFeature implements Feature {

  private final ServerContext context;
  private final StorageFeature storage;
  private final EventsFeature events;
  private final AuthFeature auth;
  private DeviceRegistry registry;

  /**
   * @param context the server's context
   * @param storage the devices' store
   * @param events where device changes are published
   * @param auth told when a device token stops being valid
   */
  public DevicesFeature(
      ServerContext context, StorageFeature storage, EventsFeature events, AuthFeature auth) {
    this.context = context;
    this.storage = storage;
    this.events = events;
    this.auth = auth;
  }

  @Override
  public String name() {
    return "devices";
  }

  @Override
  public Future<Void> start(CloseStack opened) {
    registry = new DeviceRegistry(storage.storage(), events.hub(), context.clock());
    registry.onTokensChanged(auth.authenticator()::devicesChanged);
    return Future.succeededFuture();
  }

  @Override
  public void routes(Routes routes) {
    new DeviceRoutes(registry, auth.actors()).register(routes);
  }
}
