package dev.homelab.client.proxmox;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * A node's status ({@code GET /api/proxmox/{server_id}/status}).
 *
 * @param serverId the server_id field
 * @param node the node field
 * @param status the status field
 * @param uptime the uptime field
 * @param loadavg the loadavg field
 * @param cpuCount the cpu.count field
 * @param cpuUsage the cpu.usage field
 * @param cpuModel the cpu.model field
 * @param ioWait the io_wait field
 * @param memory the memory field
 * @param swap the swap field
 * @param rootfs the rootfs field
 * @param version the version field
 * @param kernel the kernel field
 */
public record NodeStatus(
    String serverId,
    String node,
    String status,
    long uptime,
    List<Double> loadavg,
    int cpuCount,
    double cpuUsage,
    String cpuModel,
    double ioWait,
    Usage memory,
    Usage swap,
    Usage rootfs,
    String version,
    String kernel) {

  /**
   * @param json the wire form
   * @return the record
   */
  public static NodeStatus fromJson(JsonObject json) {
    JsonObject cpu = json.getJsonObject("cpu");
    return new NodeStatus(
        json.getString("server_id"),
        json.getString("node"),
        json.getString("status"),
        json.getLong("uptime"),
        json.getJsonArray("loadavg").stream().map(v -> ((Number) v).doubleValue()).toList(),
        cpu.getInteger("count"),
        cpu.getDouble("usage"),
        cpu.getString("model"),
        json.getDouble("io_wait"),
        Usage.fromJson(json.getJsonObject("memory")),
        Usage.fromJson(json.getJsonObject("swap")),
        Usage.fromJson(json.getJsonObject("rootfs")),
        json.getString("version"),
        json.getString("kernel"));
  }

  /**
   * @return the wire form
   */
  public JsonObject toJson() {
    return new JsonObject()
        .put("server_id", serverId)
        .put("node", node)
        .put("status", status)
        .put("uptime", uptime)
        .put("loadavg", new JsonArray(loadavg))
        .put("io_wait", ioWait)
        .put("memory", memory.toJson())
        .put("swap", swap.toJson())
        .put("rootfs", rootfs.toJson())
        .put("version", version)
        .put("kernel", kernel)
        .put(
            "cpu",
            new JsonObject().put("count", cpuCount).put("usage", cpuUsage).put("model", cpuModel));
  }
}
