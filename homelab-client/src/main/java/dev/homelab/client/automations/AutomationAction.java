package dev.homelab.client.automations;

import io.vertx.core.json.JsonObject;

/**
 * The automation API's answer to a start, stop or restart, as the server passes it on.
 *
 * @param success whether the API says it worked ({@code false} when it did not say)
 * @param action {@code start}, {@code stop} or {@code restart}, as echoed, or {@code null}
 * @param containerName the container acted on, or {@code null}
 * @param message its message for people, or {@code null}
 * @param newStatus the container's status after the action, or {@code null}
 */
public record AutomationAction(
    boolean success, String action, String containerName, String message, String newStatus) {

  /**
   * @param json the server's answer
   * @return it
   */
  public static AutomationAction fromJson(JsonObject json) {
    return new AutomationAction(
        Boolean.TRUE.equals(json.getValue("success")),
        Automation.string(json, "action"),
        Automation.string(json, "container_name"),
        Automation.string(json, "message"),
        Automation.string(json, "new_status"));
  }
}
