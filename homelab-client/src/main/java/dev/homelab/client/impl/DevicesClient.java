package dev.homelab.client.impl;

import dev.homelab.client.Page;
import dev.homelab.client.devices.Device;
import dev.homelab.client.devices.DevicePatch;
import dev.homelab.client.devices.DeviceQuery;
import dev.homelab.client.devices.DeviceToken;
import dev.homelab.client.devices.DevicesApi;
import dev.homelab.client.devices.NewDevice;
import io.vertx.core.Future;

/** {@link DevicesApi} over the transport. */
final class DevicesClient implements DevicesApi {

  private final Transport transport;

  DevicesClient(Transport transport) {
    this.transport = transport;
  }

  @Override
  public Future<Page<Device>> list(DeviceQuery query) {
    return transport.getPage("/api/devices", query.toQueryParams(), "devices", Device::fromJson);
  }

  @Override
  public Future<Device> create(NewDevice device) {
    return transport.post("/api/devices", device.toJson(), 201, Device::fromJson);
  }

  @Override
  public Future<Device> get(String id) {
    return transport.get(path(id), Device::fromJson);
  }

  @Override
  public Future<Device> update(String id, DevicePatch patch) {
    return transport.patch(path(id), patch.toJson(), Device::fromJson);
  }

  @Override
  public Future<Void> delete(String id) {
    return transport.delete(path(id));
  }

  @Override
  public Future<DeviceToken> issueToken(String id) {
    return transport.post(path(id) + "/token", null, 201, DeviceToken::fromJson);
  }

  private static String path(String id) {
    return "/api/devices/" + Transport.segment(id);
  }
}
