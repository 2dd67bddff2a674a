package dev.homelab.client.proxmox;

import io.vertx.core.json.JsonObject;

/**
 * One configured Proxmox server as {@code GET /api/proxmox/servers} lists it; an offline one has
 * nulls.
 *
 * @param id the id field
 * @param name the name field
 * @param ip the ip field
 * @param node the node field
 * @param online the online field
 * @param version the version field
 * @param uptime the uptime field
 * @param cpuCount the cpu_count field
 * @param cpuUsage the cpu_usage field
 * @param memoryTotal the memory_total field
 * @param memoryUsed the memory_used field
 * @param memoryPercent the memory_percent field
 */
public record ProxmoxServer(
    String id,
    String name,
    String ip,
    String node,
    boolean online,
    String version,
    Long uptime,
    Integer cpuCount,
    Double cpuUsage,
    Long memoryTotal,
    Long memoryUsed,
    Double memoryPercent) {

  /**
   * @param json the wire form
   * @return the record
   */
  public static ProxmoxServer fromJson(JsonObject json) {
    return new ProxmoxServer(
        json.getString("id"),
        json.getString("name"),
        json.getString("ip"),
        json.getString("node"),
        json.getBoolean("online"),
        json.getString("version"),
        json.getLong("uptime"),
        json.getInteger("cpu_count"),
        json.getDouble("cpu_usage"),
        json.getLong("memory_total"),
        json.getLong("memory_used"),
        json.getDouble("memory_percent"));
  }

  /**
   * @return the wire form
   */
  public JsonObject toJson() {
    return new JsonObject()
        .put("id", id)
        .put("name", name)
        .put("ip", ip)
        .put("node", node)
        .put("online", online)
        .put("version", version)
        .put("uptime", uptime)
        .put("cpu_count", cpuCount)
        .put("cpu_usage", cpuUsage)
        .put("memory_total", memoryTotal)
        .put("memory_used", memoryUsed)
        .put("memory_percent", memoryPercent);
  }
}
