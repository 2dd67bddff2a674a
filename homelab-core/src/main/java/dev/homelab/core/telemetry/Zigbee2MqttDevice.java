package dev.homelab.core.telemetry;

import io.vertx.core.json.JsonObject;

/**
 * A device as zigbee2mqtt's retained {@code bridge/devices} list describes it: what the history of
 * {@code <base>/<friendly name>} is the history of.
 *
 * @param friendlyName the name its topic carries, such as {@code livingroom/window}
 * @param ieeeAddress its IEEE address, such as {@code 0x00158d0001e1a85a}, or {@code null}
 * @param type {@code Coordinator}, {@code Router} or {@code EndDevice}, or {@code null}
 * @param vendor the vendor, such as {@code Xiaomi}, or {@code null}
 * @param model the model, such as {@code MCCGQ01LM}, or {@code null}
 * @param description what it is, such as {@code MiJia door & window contact sensor}, or {@code
 *     null}
 * @param powerSource {@code Battery}, {@code Mains (single phase)}..., or {@code null}
 * @param disabled whether it is disabled in zigbee2mqtt
 */
public record Zigbee2MqttDevice(
    String friendlyName,
    String ieeeAddress,
    String type,
    String vendor,
    String model,
    String description,
    String powerSource,
    boolean disabled) {

  /**
   * @param json one entry of {@code bridge/devices}
   * @return the device; fields of another type than expected are left out
   */
  public static Zigbee2MqttDevice fromJson(JsonObject json) {
    JsonObject definition =
        json.getValue("definition") instanceof JsonObject d ? d : new JsonObject();
    return new Zigbee2MqttDevice(
        text(json, "friendly_name"),
        text(json, "ieee_address"),
        text(json, "type"),
        text(definition, "vendor"),
        text(definition, "model"),
        text(definition, "description"),
        text(json, "power_source"),
        Boolean.TRUE.equals(json.getValue("disabled")));
  }

  private static String text(JsonObject json, String field) {
    return json.getValue(field) instanceof String s ? s : null;
  }

  /**
   * @return the device as the API sends it, without absent fields
   */
  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("friendly_name", friendlyName);
    putIfSet(json, "ieee_address", ieeeAddress);
    putIfSet(json, "type", type);
    putIfSet(json, "vendor", vendor);
    putIfSet(json, "model", model);
    putIfSet(json, "description", description);
    putIfSet(json, "power_source", powerSource);
    return json.put("disabled", disabled);
  }

  private static void putIfSet(JsonObject json, String field, String value) {
    if (value != null) {
      json.put(field, value);
    }
  }
}
