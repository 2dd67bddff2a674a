package dev.homelab.client.devices;

import dev.homelab.client.HomelabNotFoundException;
import dev.homelab.client.Page;
import dev.homelab.client.Paginator;
import io.vertx.core.Future;

/**
 * Devices: {@code /api/devices}. Users see and change their own devices, admins every device;
 * another user's device answers 404 exactly like a missing one.
 */
public interface DevicesApi {

  /**
   * Like {@link #list(DeviceQuery)} with {@link DeviceQuery#create()}: the first page.
   *
   * @return the first page of devices, oldest first
   */
  default Future<Page<Device>> list() {
    return list(DeviceQuery.create());
  }

  /**
   * {@code GET /api/devices}.
   *
   * @param query the filter, page size and cursor
   * @return one page of devices, oldest first
   */
  Future<Page<Device>> list(DeviceQuery query);

  /**
   * Every device the query matches, from its cursor on, read page by page as they are asked for;
   * see {@link Paginator}.
   *
   * @param query the filter, page size and first cursor
   * @return the devices, oldest first
   */
  default Paginator<Device> autoPaging(DeviceQuery query) {
    return Paginator.of(query, this::list);
  }

  /**
   * {@code POST /api/devices}.
   *
   * @param device the new device
   * @return the created device, owned by the caller
   */
  Future<Device> create(NewDevice device);

  /**
   * {@code GET /api/devices/{id}}.
   *
   * @param id the device's id
   * @return the device; fails with {@link HomelabNotFoundException} ({@code DEVICE_NOT_FOUND}) if
   *     there is none the caller may see
   */
  Future<Device> get(String id);

  /**
   * {@code PATCH /api/devices/{id}}: changes the fields the patch sets.
   *
   * @param id the device's id
   * @param patch the changes
   * @return the changed device
   */
  Future<Device> update(String id, DevicePatch patch);

  /**
   * {@code DELETE /api/devices/{id}}.
   *
   * @param id the device's id
   * @return completes when deleted
   */
  Future<Void> delete(String id);

  /**
   * {@code POST /api/devices/{id}/token}: issues the device's token for the MQTT device gateway,
   * replacing any earlier one.
   *
   * @param id the device's id
   * @return the token: the only time the server shows it
   */
  Future<DeviceToken> issueToken(String id);
}
