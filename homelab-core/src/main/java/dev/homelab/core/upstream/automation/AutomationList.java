package dev.homelab.core.upstream.automation;

import static dev.homelab.core.upstream.impl.LenientJson.number;

import dev.homelab.core.upstream.impl.LenientJson;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * The automation API's list (seed 003's {@code GET /api/automations}).
 *
 * @param total how many automations it counts (the list's size if it did not say)
 * @param running how many run, or -1
 * @param stopped how many are stopped, or -1
 * @param automations the automations, in its order
 * @param json the answer as the API sent it
 */
public record AutomationList(
    long total, long running, long stopped, List<Automation> automations, JsonObject json) {

  /** Copies the list. */
  public AutomationList {
    automations = List.copyOf(automations);
  }

  /**
   * @param json the API's answer
   * @return the list, or {@code null} if it has no {@code automations} array or an entry of it is
   *     not an automation
   */
  public static AutomationList fromJson(JsonObject json) {
    JsonArray array = LenientJson.array(json, "automations");
    if (array == null) {
      return null;
    }
    List<Automation> automations = new ArrayList<>(array.size());
    for (Object entry : array) {
      Automation automation =
          entry instanceof JsonObject object ? Automation.fromJson(object) : null;
      if (automation == null) {
        return null;
      }
      automations.add(automation);
    }
    return new AutomationList(
        number(json, "total", automations.size()),
        number(json, "running", -1),
        number(json, "stopped", -1),
        automations,
        json);
  }
}
