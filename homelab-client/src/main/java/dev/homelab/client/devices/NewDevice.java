package dev.homelab.client.devices;

import dev.homelab.client.internal.JsonFields;
import io.vertx.core.json.JsonObject;

/**
 * The body of {@code POST /api/devices}. The metadata is copied in and out, so the record stays
 * immutable.
 *
 * @param name the name, 1 to 100 characters
 * @param deviceType the type: 2 to 32 of {@code a-z 0-9 _}, starting with a letter, for example
 *     {@code sensor}
 * @param description a description of at most 1000 characters, or {@code null}
 * @param metadata free-form JSON of at most 16 KiB, or {@code null}
 */
public record NewDevice(String name, String deviceType, String description, JsonObject metadata) {

  /**
   * Copies the metadata.
   *
   * @param name the name
   * @param deviceType the type
   * @param description a description, or {@code null}
   * @param metadata free-form JSON, or {@code null}
   */
  public NewDevice {
    metadata = JsonFields.copy(metadata);
  }

  /**
   * Like {@link #NewDevice(String, String, String, JsonObject)} without description or metadata.
   *
   * @param name the name
   * @param deviceType the type
   */
  public NewDevice(String name, String deviceType) {
    this(name, deviceType, null, null);
  }

  /**
   * @return a copy of the free-form JSON, or {@code null}
   */
  @Override
  public JsonObject metadata() {
    return JsonFields.copy(metadata);
  }

  /**
   * @return the request body, leaving out the fields that are {@code null}
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
