package dev.homelab.core.upstream.automation;

import static dev.homelab.core.upstream.impl.LenientJson.bool;
import static dev.homelab.core.upstream.impl.LenientJson.number;
import static dev.homelab.core.upstream.impl.LenientJson.object;
import static dev.homelab.core.upstream.impl.LenientJson.string;

import io.vertx.core.json.JsonObject;

/**
 * One automation container as the automation API describes it (seed 003). Fields it leaves out, or
 * sends with another type, read as {@code null} or -1; {@link #json()} keeps the answer as it was,
 * for a proxy that passes it on unchanged.
 *
 * @param containerName its Docker container, such as {@code automation-main-kitchen-motion_light}
 * @param automationName its automation, such as {@code main/kitchen/motion_light}
 * @param status the container's status, such as {@code running} or {@code exited}, or {@code null}
 * @param uptimeSeconds the container's uptime, or -1
 * @param mqttStatus the automation's own status over MQTT, such as {@code running}, or {@code null}
 * @param triggersCount how often it triggered, or -1
 * @param errorsCount how many errors it had, or -1
 * @param lastTrigger when it last triggered, as sent, or {@code null}
 * @param health the overall health, such as {@code healthy}, or {@code null}
 * @param dockerRunning whether Docker runs it, or {@code null}
 * @param mqttResponding whether it answers over MQTT, or {@code null}
 * @param json the object as the API sent it
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
    Boolean dockerRunning,
    Boolean mqttResponding,
    JsonObject json) {

  /**
   * @param json one automation of the API
   * @return it, or {@code null} if it has neither a container nor an automation name
   */
  public static Automation fromJson(JsonObject json) {
    String container = string(json, "container_name");
    String automation = string(json, "automation_name");
    if (container == null && automation == null) {
      return null;
    }
    JsonObject docker = object(json, "container");
    JsonObject mqtt = object(object(json, "mqtt"), "status");
    JsonObject health = object(json, "health");
    return new Automation(
        container,
        automation,
        string(docker, "status"),
        number(docker, "uptime_seconds", -1),
        string(mqtt, "status"),
        number(mqtt, "triggers_count", -1),
        number(mqtt, "errors_count", -1),
        string(mqtt, "last_trigger"),
        string(health, "overall"),
        bool(health, "docker_running"),
        bool(health, "mqtt_responding"),
        json);
  }

  /**
   * @return whether its container runs
   */
  public boolean running() {
    return "running".equals(status);
  }
}
