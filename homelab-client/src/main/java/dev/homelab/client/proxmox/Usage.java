package dev.homelab.client.proxmox;

import io.vertx.core.json.JsonObject;

/**
 * How much of a node's memory, swap or root file system is used, in bytes.
 *
 * @param total the total field
 * @param used the used field
 * @param free the free field
 * @param percent the percent field
 */
public record Usage(long total, long used, long free, double percent) {

  /**
   * @param json the wire form
   * @return the record
   */
  public static Usage fromJson(JsonObject json) {
    return new Usage(
        json.getLong("total"),
        json.getLong("used"),
        json.getLong("free"),
        json.getDouble("percent"));
  }

  /**
   * @return the wire form
   */
  public JsonObject toJson() {
    return new JsonObject()
        .put("total", total)
        .put("used", used)
        .put("free", free)
        .put("percent", percent);
  }
}
