package dev.homelab.client.automations;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * The automations ({@code GET /api/automations}).
 *
 * @param total how many automations the API counts (the list's size if it did not say)
 * @param running how many run, or -1
 * @param stopped how many are stopped, or -1
 * @param automations the automations, in the API's order
 */
public record AutomationList(long total, long running, long stopped, List<Automation> automations) {

  /** Copies the list. */
  public AutomationList {
    automations = List.copyOf(automations);
  }

  /**
   * @param json the server's answer
   * @return the list
   */
  public static AutomationList fromJson(JsonObject json) {
    JsonArray array = json.getJsonArray("automations", new JsonArray());
    List<Automation> automations = new ArrayList<>(array.size());
    for (Object entry : array) {
      if (entry instanceof JsonObject object) {
        automations.add(Automation.fromJson(object));
      }
    }
    long total = Automation.number(json, "total");
    return new AutomationList(
        total < 0 ? automations.size() : total,
        Automation.number(json, "running"),
        Automation.number(json, "stopped"),
        automations);
  }
}
