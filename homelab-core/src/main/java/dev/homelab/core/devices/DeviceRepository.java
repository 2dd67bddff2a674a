package dev.homelab.core.devices;

import dev.homelab.core.Page;
import io.vertx.core.Future;

/**
 * The device registry. Every method takes an {@link OwnerFilter} and applies it in the query: a
 * device outside the filter reads as absent.
 */
public interface DeviceRepository {

  /**
   * Registers a device.
   *
   * @param ownerId the owner
   * @param device what the client gave
   * @return the device, with its new id
   */
  Future<Device> create(String ownerId, NewDevice device);

  /**
   * @param filter whose devices may be seen
   * @param id a device id
   * @return the device, or {@code null} if there is none within the filter
   */
  Future<Device> get(OwnerFilter filter, String id);

  /**
   * @param filter whose devices may be seen
   * @param query the page
   * @return one page, oldest first
   */
  Future<Page<Device>> list(OwnerFilter filter, DeviceQuery query);

  /**
   * @param filter whose devices may be changed
   * @param id a device id
   * @param patch what changes
   * @return the changed device, or {@code null} if there is none within the filter
   */
  Future<Device> update(OwnerFilter filter, String id, DevicePatch patch);

  /**
   * @param filter whose devices may be removed
   * @param id a device id
   * @return whether a device was removed
   */
  Future<Boolean> delete(OwnerFilter filter, String id);

  /**
   * Sets the hash of the device's token, replacing any earlier one.
   *
   * @param filter whose devices may be changed
   * @param id a device id
   * @param tokenHash the hash of the new token
   * @return whether the device exists within the filter
   */
  Future<Boolean> setTokenHash(OwnerFilter filter, String id, String tokenHash);

  /**
   * Finds the device a token belongs to, for the device gateway.
   *
   * @param tokenHash the hash of a presented token
   * @return the device, or {@code null}
   */
  Future<Device> byTokenHash(String tokenHash);
}
