package dev.homelab.core.upstream.automation;

import static dev.homelab.core.upstream.impl.LenientJson.bool;
import static dev.homelab.core.upstream.impl.LenientJson.string;

import io.vertx.core.json.JsonObject;

/**
 * The answer to a start, stop or restart (seed 003).
 *
 * @param success whether the API says it worked ({@code false} when it did not say)
 * @param action {@code start}, {@code stop} or {@code restart}, as it echoed, or {@code null}
 * @param containerName the container acted on, or {@code null}
 * @param message its message for people, or {@code null}
 * @param newStatus the container's status after the action, such as {@code running}, or {@code
 *     null}
 * @param json the answer as the API sent it
 */
public record AutomationAction(
    boolean success,
    String action,
    String containerName,
    String message,
    String newStatus,
    JsonObject json) {

  /**
   * @param json the API's answer
   * @return it read leniently
   */
  public static AutomationAction fromJson(JsonObject json) {
    return new AutomationAction(
        Boolean.TRUE.equals(bool(json, "success")),
        string(json, "action"),
        string(json, "container_name"),
        string(json, "message"),
        string(json, "new_status"),
        json);
  }
}
