package dev.homelab.client.proxmox;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * Every guest of a server, merged, sorted by vmid and counted ({@code GET
 * /api/proxmox/{server_id}/vms}).
 *
 * @param serverId the server_id field
 * @param total the total field
 * @param vms the vms field
 * @param containers the containers field
 * @param running the running field
 * @param stopped the stopped field
 * @param instances the instances field
 */
public record GuestList(
    String serverId,
    int total,
    int vms,
    int containers,
    int running,
    int stopped,
    List<GuestSummary> instances) {

  /**
   * @param json the wire form
   * @return the record
   */
  public static GuestList fromJson(JsonObject json) {
    return new GuestList(
        json.getString("server_id"),
        json.getInteger("total"),
        json.getInteger("vms"),
        json.getInteger("containers"),
        json.getInteger("running"),
        json.getInteger("stopped"),
        json.getJsonArray("instances").stream()
            .map(v -> GuestSummary.fromJson((JsonObject) v))
            .toList());
  }

  /**
   * @return the wire form
   */
  public JsonObject toJson() {
    return new JsonObject()
        .put("server_id", serverId)
        .put("total", total)
        .put("vms", vms)
        .put("containers", containers)
        .put("running", running)
        .put("stopped", stopped)
        .put("instances", new JsonArray(instances.stream().map(GuestSummary::toJson).toList()));
  }
}
