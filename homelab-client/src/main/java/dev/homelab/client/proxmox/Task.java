package dev.homelab.client.proxmox;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * A Proxmox task ({@code GET /api/proxmox/{server_id}/tasks/{upid}}): {@code exitStatus} is null
 * while it runs.
 *
 * @param serverId the server_id field
 * @param upid the upid field
 * @param node the node field
 * @param type the type field
 * @param id the id field
 * @param user the user field
 * @param status the status field
 * @param exitStatus the exit_status field
 * @param ended the ended field
 * @param succeeded the succeeded field
 * @param warnings the warnings field
 * @param startTime the start_time field
 * @param log the log field
 */
public record Task(
    String serverId,
    String upid,
    String node,
    String type,
    String id,
    String user,
    String status,
    String exitStatus,
    boolean ended,
    boolean succeeded,
    int warnings,
    String startTime,
    List<String> log) {

  /**
   * @param json the wire form
   * @return the record
   */
  public static Task fromJson(JsonObject json) {
    return new Task(
        json.getString("server_id"),
        json.getString("upid"),
        json.getString("node"),
        json.getString("type"),
        json.getString("id"),
        json.getString("user"),
        json.getString("status"),
        json.getString("exit_status"),
        json.getBoolean("ended"),
        json.getBoolean("succeeded"),
        json.getInteger("warnings"),
        json.getString("start_time"),
        json.getJsonArray("log").stream().map(String::valueOf).toList());
  }

  /**
   * @return the wire form
   */
  public JsonObject toJson() {
    return new JsonObject()
        .put("server_id", serverId)
        .put("upid", upid)
        .put("node", node)
        .put("type", type)
        .put("id", id)
        .put("user", user)
        .put("status", status)
        .put("exit_status", exitStatus)
        .put("ended", ended)
        .put("succeeded", succeeded)
        .put("warnings", warnings)
        .put("start_time", startTime)
        .put("log", new JsonArray(log));
  }
}
