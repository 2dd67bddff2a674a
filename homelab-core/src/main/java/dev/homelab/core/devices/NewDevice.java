package dev.homelab.core.devices;

import io.vertx.core.json.JsonObject;

/**
 * What a client gives to register a device. The id, owner and timestamps are never among it.
 *
 * @param name 1-100 characters
 * @param deviceType 2-32 of {@code a-z 0-9 _}, starting with a letter
 * @param description at most 1000 characters, or {@code null}
 * @param metadata a JSON object of at most 16 KiB
 */
public record NewDevice(String name, String deviceType, String description, JsonObject metadata) {

  /** Validates every component; a failure names the field. */
  public NewDevice {
    name = DeviceFields.name(name);
    deviceType = DeviceFields.deviceType(deviceType);
    description = DeviceFields.description(description);
    metadata = DeviceFields.metadata(metadata);
  }

  /**
   * Reads a request body, refusing fields the server sets ({@code id}, {@code owner}, ...) and
   * unknown ones.
   *
   * @param body the body
   * @return the new device
   * @throws dev.homelab.core.ValidationException naming the first bad field
   */
  public static NewDevice fromJson(JsonObject body) {
    DeviceFields.rejectUnknown(body);
    return new NewDevice(
        DeviceFields.name(body.getValue("name")),
        DeviceFields.deviceType(body.getValue("device_type")),
        DeviceFields.description(body.getValue("description")),
        DeviceFields.metadataField(body));
  }
}
