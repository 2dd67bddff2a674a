package dev.homelab.client.proxmox;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * A guest's current status ({@code GET /api/proxmox/{server_id}/vm/{vmid}}).
 *
 * @param vmid the vmid field
 * @param type the type field
 * @param name the name field
 * @param node the node field
 * @param status the status field
 * @param template the template field
 * @param uptime the uptime field
 * @param cpu the cpu field
 * @param cpus the cpus field
 * @param mem the mem field
 * @param maxmem the maxmem field
 * @param disk the disk field
 * @param maxdisk the maxdisk field
 * @param netin the netin field
 * @param netout the netout field
 * @param diskread the diskread field
 * @param diskwrite the diskwrite field
 * @param lock the lock field
 * @param tags the tags field
 */
public record Guest(
    long vmid,
    String type,
    String name,
    String node,
    String status,
    boolean template,
    long uptime,
    double cpu,
    int cpus,
    long mem,
    long maxmem,
    long disk,
    long maxdisk,
    long netin,
    long netout,
    long diskread,
    long diskwrite,
    String lock,
    List<String> tags) {

  /**
   * @param json the wire form
   * @return the record
   */
  public static Guest fromJson(JsonObject json) {
    return new Guest(
        json.getLong("vmid"),
        json.getString("type"),
        json.getString("name"),
        json.getString("node"),
        json.getString("status"),
        json.getBoolean("template"),
        json.getLong("uptime"),
        json.getDouble("cpu"),
        json.getInteger("cpus"),
        json.getLong("mem"),
        json.getLong("maxmem"),
        json.getLong("disk"),
        json.getLong("maxdisk"),
        json.getLong("netin"),
        json.getLong("netout"),
        json.getLong("diskread"),
        json.getLong("diskwrite"),
        json.getString("lock"),
        json.getJsonArray("tags").stream().map(String::valueOf).toList());
  }

  /**
   * @return the wire form
   */
  public JsonObject toJson() {
    return new JsonObject()
        .put("vmid", vmid)
        .put("type", type)
        .put("name", name)
        .put("node", node)
        .put("status", status)
        .put("template", template)
        .put("uptime", uptime)
        .put("cpu", cpu)
        .put("cpus", cpus)
        .put("mem", mem)
        .put("maxmem", maxmem)
        .put("disk", disk)
        .put("maxdisk", maxdisk)
        .put("netin", netin)
        .put("netout", netout)
        .put("diskread", diskread)
        .put("diskwrite", diskwrite)
        .put("lock", lock)
        .put("tags", new JsonArray(tags));
  }
}
