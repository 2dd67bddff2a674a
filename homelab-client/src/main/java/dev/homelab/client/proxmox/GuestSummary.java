package dev.homelab.client.proxmox;

import io.vertx.core.json.JsonObject;

/**
 * A guest as {@code GET /api/proxmox/{server_id}/vms} lists it.
 *
 * @param vmid the vmid field
 * @param type the type field
 * @param name the name field
 * @param status the status field
 * @param template the template field
 * @param uptime the uptime field
 * @param cpu the cpu field
 * @param maxcpu the maxcpu field
 * @param mem the mem field
 * @param maxmem the maxmem field
 * @param disk the disk field
 * @param maxdisk the maxdisk field
 */
public record GuestSummary(
    long vmid,
    String type,
    String name,
    String status,
    boolean template,
    long uptime,
    double cpu,
    int maxcpu,
    long mem,
    long maxmem,
    long disk,
    long maxdisk) {

  /**
   * @param json the wire form
   * @return the record
   */
  public static GuestSummary fromJson(JsonObject json) {
    return new GuestSummary(
        json.getLong("vmid"),
        json.getString("type"),
        json.getString("name"),
        json.getString("status"),
        json.getBoolean("template"),
        json.getLong("uptime"),
        json.getDouble("cpu"),
        json.getInteger("maxcpu"),
        json.getLong("mem"),
        json.getLong("maxmem"),
        json.getLong("disk"),
        json.getLong("maxdisk"));
  }

  /**
   * @return the wire form
   */
  public JsonObject toJson() {
    return new JsonObject()
        .put("vmid", vmid)
        .put("type", type)
        .put("name", name)
        .put("status", status)
        .put("template", template)
        .put("uptime", uptime)
        .put("cpu", cpu)
        .put("maxcpu", maxcpu)
        .put("mem", mem)
        .put("maxmem", maxmem)
        .put("disk", disk)
        .put("maxdisk", maxdisk);
  }
}
