package dev.homelab.client.system;

import io.vertx.core.json.JsonObject;

/**
 * Everything a dashboard shows, as {@code GET /api/dashboard} answers.
 *
 * @param version the server's version
 * @param uptimeSeconds seconds since the server started
 * @param system the host's state
 * @param storage the store and the metrics tiers
 */
public record Dashboard(
    String version, long uptimeSeconds, HostSnapshot system, StorageInfo storage) {

  /**
   * @param json the server's JSON
   * @return the dashboard
   */
  public static Dashboard fromJson(JsonObject json) {
    return new Dashboard(
        json.getString("version"),
        json.getLong("uptime_seconds", 0L),
        HostSnapshot.fromJson(json.getJsonObject("system", new JsonObject())),
        StorageInfo.fromJson(json.getJsonObject("storage", new JsonObject())));
  }
}
