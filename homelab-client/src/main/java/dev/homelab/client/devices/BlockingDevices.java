package dev.homelab.client.devices;

import dev.homelab.client.BlockingHomelabClient;
import dev.homelab.client.Page;
import dev.homelab.client.internal.Waiter;

/**
 * The device endpoints of {@link DevicesApi} for code that waits: each method calls the
 * asynchronous one and waits for its answer, as {@link BlockingHomelabClient} describes.
 * Thread-safe.
 */
public final class BlockingDevices {

  private final DevicesApi devices;
  private final Waiter waiter;

  /**
   * @param devices the asynchronous API to wrap
   * @param timeoutMs the client's timeout, in milliseconds: each call waits at most that, plus a
   *     second of grace
   */
  public BlockingDevices(DevicesApi devices, long timeoutMs) {
    this.devices = devices;
    this.waiter = new Waiter(timeoutMs);
  }

  /**
   * Like {@link DevicesApi#list()}.
   *
   * @return the first page of devices
   */
  public Page<Device> list() {
    return waiter.await(devices.list());
  }

  /**
   * Like {@link DevicesApi#list(DeviceQuery)}.
   *
   * @param query the filter, page size and cursor
   * @return one page of devices
   */
  public Page<Device> list(DeviceQuery query) {
    return waiter.await(devices.list(query));
  }

  /**
   * Like {@link DevicesApi#autoPaging(DeviceQuery)}, as an iterable. Every device the query
   * matches, from its cursor on, reading each page only when the previous one is used up. Each
   * iterator starts again from the query; {@code hasNext()} may wait for the server and throw what
   * {@link #list(DeviceQuery)} throws.
   *
   * @param query the filter, page size and first cursor
   * @return the devices, oldest first
   */
  public Iterable<Device> autoPagingIterable(DeviceQuery query) {
    return waiter.iterable(devices.autoPaging(query));
  }

  /**
   * Like {@link DevicesApi#create(NewDevice)}.
   *
   * @param device the new device
   * @return the created device
   */
  public Device create(NewDevice device) {
    return waiter.await(devices.create(device));
  }

  /**
   * Like {@link DevicesApi#get(String)}.
   *
   * @param id the device's id
   * @return the device
   */
  public Device get(String id) {
    return waiter.await(devices.get(id));
  }

  /**
   * Like {@link DevicesApi#update(String, DevicePatch)}.
   *
   * @param id the device's id
   * @param patch the changes
   * @return the changed device
   */
  public Device update(String id, DevicePatch patch) {
    return waiter.await(devices.update(id, patch));
  }

  /**
   * Like {@link DevicesApi#delete(String)}.
   *
   * @param id the device's id
   */
  public void delete(String id) {
    waiter.await(devices.delete(id));
  }

  /**
   * Like {@link DevicesApi#issueToken(String)}.
   *
   * @param id the device's id
   * @return the token
   */
  public DeviceToken issueToken(String id) {
    return waiter.await(devices.issueToken(id));
  }
}
