package dev.homelab.client.devices;

import dev.homelab.client.internal.JsonFields;
import io.vertx.core.json.JsonObject;

/**
 * The changes {@code PATCH /api/devices/{id}} makes: only the fields that are set (not {@code
 * null}) are sent, the others stay as they are. Start from {@link #empty()} and add changes with
 * the {@code with...} methods, each of which returns a new patch. The metadata is copied in and
 * out, so the record stays immutable.
 *
 * @param name the new name, or {@code null} to keep it
 * @param deviceType the new type, or {@code null} to keep it
 * @param description the new description, or {@code null} to keep it
 * @param metadata the new metadata, replacing the old, or {@code null} to keep it
 */
public record DevicePatch(String name, String deviceType, String description, JsonObject metadata) {

  private static final DevicePatch EMPTY = new DevicePatch(null, null, null, null);

  /**
   * Copies the metadata.
   *
   * @param name the new name, or {@code null}
   * @param deviceType the new type, or {@code null}
   * @param description the new description, or {@code null}
   * @param metadata the new metadata, or {@code null}
   */
  public DevicePatch {
    metadata = JsonFields.copy(metadata);
  }

  /**
   * @return a patch that changes nothing
   */
  public static DevicePatch empty() {
    return EMPTY;
  }

  /**
   * @param name the new name
   * @return a copy of this patch that also changes the name
   */
  public DevicePatch withName(String name) {
    return new DevicePatch(name, deviceType, description, metadata);
  }

  /**
   * @param deviceType the new type
   * @return a copy of this patch that also changes the type
   */
  public DevicePatch withDeviceType(String deviceType) {
    return new DevicePatch(name, deviceType, description, metadata);
  }

  /**
   * @param description the new description
   * @return a copy of this patch that also changes the description
   */
  public DevicePatch withDescription(String description) {
    return new DevicePatch(name, deviceType, description, metadata);
  }

  /**
   * @param metadata the new metadata, replacing the old; copied
   * @return a copy of this patch that also changes the metadata
   */
  public DevicePatch withMetadata(JsonObject metadata) {
    return new DevicePatch(name, deviceType, description, metadata);
  }

  /**
   * @return a copy of the new metadata, or {@code null}
   */
  @Override
  public JsonObject metadata() {
    return JsonFields.copy(metadata);
  }

  /**
   * @return {@code true} if the patch changes nothing
   */
  public boolean isEmpty() {
    return name == null && deviceType == null && description == null && metadata == null;
  }

  /**
   * @return the request body: only the fields that are set
   */
  public JsonObject toJson() {
    JsonObject json = new JsonObject();
    JsonFields.putIfSet(json, "name", name);
    JsonFields.putIfSet(json, "device_type", deviceType);
    JsonFields.putIfSet(json, "description", description);
    JsonFields.putIfSet(json, "metadata", JsonFields.copy(metadata));
    return json;
  }
}
