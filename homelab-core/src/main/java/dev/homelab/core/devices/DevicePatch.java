package dev.homelab.core.devices;

import io.vertx.core.json.JsonObject;

/**
 * A change to a device; {@code null} components stay as they are, except that {@link
 * #clearDescription()} removes the description.
 *
 * @param name the new name, or {@code null}
 * @param deviceType the new type, or {@code null}
 * @param description the new description, or {@code null}
 * @param clearDescription whether to remove the description
 * @param metadata the new metadata (replacing the old), or {@code null}
 */
public record DevicePatch(
    String name,
    String deviceType,
    String description,
    boolean clearDescription,
    JsonObject metadata) {

  /** Validates the components that are set. */
  public DevicePatch {
    name = name == null ? null : DeviceFields.name(name);
    deviceType = deviceType == null ? null : DeviceFields.deviceType(deviceType);
    description = DeviceFields.description(description);
    metadata = metadata == null ? null : DeviceFields.metadata(metadata);
  }

  /**
   * Reads a request body: fields present are changed ({@code "description": null} removes it),
   * fields the server sets and unknown ones are refused.
   *
   * @param body the body
   * @return the patch
   * @throws dev.homelab.core.ValidationException naming the first bad field
   */
  public static DevicePatch fromJson(JsonObject body) {
    DeviceFields.rejectUnknown(body);
    return new DevicePatch(
        body.containsKey("name") ? DeviceFields.name(body.getValue("name")) : null,
        body.containsKey("device_type")
            ? DeviceFields.deviceType(body.getValue("device_type"))
            : null,
        DeviceFields.description(body.getValue("description")),
        body.containsKey("description") && body.getValue("description") == null,
        body.containsKey("metadata") ? DeviceFields.metadataField(body) : null);
  }

  /**
   * @return whether nothing would change
   */
  public boolean isEmpty() {
    return name == null
        && deviceType == null
        && description == null
        && !clearDescription
        && metadata == null;
  }
}
