package dev.homelab.client.automations;

import io.vertx.core.json.JsonObject;

/**
 * One automation container as the server passes it on from the automation API (seed 003). Fields it
 * leaves out, or sends with another type, read as {@code null} or -1; {@link #toJson()} gives the
 * object back as it was.
 *
 * @param containerName its Docker container, such as {@code automation-main-kitchen-motion_light}
 * @param automationName its automation, such as {@code main/kitchen/motion_light}
 * @param status the container's status, such as {@code running} or {@code exited}, or {@code null}
 * @param uptimeSeconds the container's uptime, or -1
 * @param mqttStatus the automation's own status over MQTT, or {@code null}
 * @param triggersCount how often it triggered, or -1
 * @param errorsCount how many errors it had, or -1
 * @param lastTrigger when it last triggered, as sent, or {@code null}
 * @param health the overall health, such as {@code healthy}, or {@code null}
 * @param json the object as the server sent it
 */
public record Automation(
    String containerName,
    String automationName,
    String status,
    long uptimeSeconds,
    String mqttStatus,
    long triggersCount,
    long errorsCount,
    String lastTrigger,
    String health,
    JsonObject json) {

  /**
   * @param json one automation
   * @return it
   */
  public static Automation fromJson(JsonObject json) {
    JsonObject container = object(json, "container");
    JsonObject mqtt = object(object(json, "mqtt"), "status");
    return new Automation(
        string(json, "container_name"),
        string(json, "automation_name"),
        string(container, "status"),
        number(container, "uptime_seconds"),
        string(mqtt, "status"),
        number(mqtt, "triggers_count"),
        number(mqtt, "errors_count"),
        string(mqtt, "last_trigger"),
        string(object(json, "health"), "overall"),
        json);
  }

  /**
   * @return whether its container runs
   */
  public boolean running() {
    return "running".equals(status);
  }

  /**
   * @return the object as the server sent it, a copy
   */
  public JsonObject toJson() {
    return json.copy();
  }

  static JsonObject object(JsonObject json, String key) {
    return json != null && json.getValue(key) instanceof JsonObject object ? object : null;
  }

  static String string(JsonObject json, String key) {
    return json != null && json.getValue(key) instanceof String text ? text : null;
  }

  static long number(JsonObject json, String key) {
    return json != null && json.getValue(key) instanceof Number number ? number.longValue() : -1;
  }
}
