package dev.homelab.client.devices;

import dev.homelab.client.internal.JsonFields;
import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * A device, as the {@code /api/devices} endpoints report it. Its {@link #metadata()} is copied in
 * and out, so the record stays immutable.
 *
 * @param id the device's id
 * @param name its name, 1 to 100 characters
 * @param deviceType its type, for example {@code sensor} or {@code rfid_reader}
 * @param description a description, or {@code null}
 * @param metadata free-form JSON; empty if the device has none
 * @param owner the id of the user who owns it
 * @param hasToken {@code true} if a token for the MQTT device gateway has been issued
 * @param createdAt when it was created
 * @param updatedAt when it was last changed
 */
public record Device(
    String id,
    String name,
    String deviceType,
    String description,
    JsonObject metadata,
    String owner,
    boolean hasToken,
    Instant createdAt,
    Instant updatedAt) {

  /**
   * Copies the metadata; {@code null} becomes an empty object.
   *
   * @param id the device's id
   * @param name its name
   * @param deviceType its type
   * @param description a description, or {@code null}
   * @param metadata free-form JSON, or {@code null} for none
   * @param owner the owner's user id
   * @param hasToken whether a token has been issued
   * @param createdAt when it was created
   * @param updatedAt when it was last changed
   */
  public Device {
    metadata = metadata == null ? new JsonObject() : metadata.copy();
  }

  /**
   * Reads the JSON the server sends; unknown fields are ignored.
   *
   * @param json one device
   * @return the device
   */
  public static Device fromJson(JsonObject json) {
    return new Device(
        json.getString("id"),
        json.getString("name"),
        json.getString("device_type"),
        json.getString("description"),
        json.getJsonObject("metadata"),
        json.getString("owner"),
        json.getBoolean("has_token", false),
        JsonFields.instant(json, "created_at"),
        JsonFields.instant(json, "updated_at"));
  }

  /**
   * @return a copy of the device's free-form JSON; empty if it has none
   */
  @Override
  public JsonObject metadata() {
    return metadata.copy();
  }

  /**
   * @return the JSON the server sends
   */
  public JsonObject toJson() {
    return new JsonObject()
        .put("id", id)
        .put("name", name)
        .put("device_type", deviceType)
        .put("description", description)
        .put("metadata", metadata.copy())
        .put("owner", owner)
        .put("has_token", hasToken)
        .put("created_at", JsonFields.instant(createdAt))
        .put("updated_at", JsonFields.instant(updatedAt));
  }
}
