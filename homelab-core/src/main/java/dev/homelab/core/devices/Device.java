package dev.homelab.core.devices;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Objects;

/**
 * A registered device.
 *
 * @param id the device's id (a UUID), set by the store
 * @param ownerId the owning user's id, set from the caller
 * @param name what the owner calls it
 * @param deviceType the kind of device, for example {@code rfid_reader}
 * @param description free text, or {@code null}
 * @param metadata free JSON facts about the device
 * @param hasToken whether a device token has been issued
 * @param createdAt when it was registered
 * @param updatedAt when it last changed
 */
public record Device(
    String id,
    String ownerId,
    String name,
    String deviceType,
    String description,
    JsonObject metadata,
    boolean hasToken,
    Instant createdAt,
    Instant updatedAt) {

  /** Checks the components that are never optional and copies the metadata. */
  public Device {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(ownerId, "ownerId");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(deviceType, "deviceType");
    metadata = metadata == null ? new JsonObject() : metadata.copy();
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(updatedAt, "updatedAt");
  }

  @Override
  public JsonObject metadata() {
    return metadata.copy();
  }

  /**
   * @return the wire form; never the token
   */
  public JsonObject toJson() {
    return new JsonObject()
        .put("id", id)
        .put("name", name)
        .put("device_type", deviceType)
        .put("description", description)
        .put("metadata", metadata.copy())
        .put("owner", ownerId)
        .put("has_token", hasToken)
        .put("created_at", createdAt.toString())
        .put("updated_at", updatedAt.toString());
  }
}
