package dev.homelab.client.system;

import io.vertx.core.json.JsonObject;

/**
 * The server's health, as {@code GET /health} reports it.
 *
 * @param status {@code healthy}, or {@code unhealthy} when the database does not answer
 * @param version the server's version
 * @param database {@code ok} or {@code error}
 * @param databaseType {@code sqlite} or {@code postgresql}
 * @param uptimeSeconds seconds since the server started
 */
public record Health(
    String status, String version, String database, String databaseType, long uptimeSeconds) {

  /**
   * Reads the JSON the server sends; unknown fields are ignored.
   *
   * @param json the response body
   * @return the health
   */
  public static Health fromJson(JsonObject json) {
    return new Health(
        json.getString("status"),
        json.getString("version"),
        json.getString("database"),
        json.getString("database_type"),
        json.getLong("uptime_seconds", 0L));
  }

  /**
   * @return the JSON the server sends
   */
  public JsonObject toJson() {
    return new JsonObject()
        .put("status", status)
        .put("version", version)
        .put("database", database)
        .put("database_type", databaseType)
        .put("uptime_seconds", uptimeSeconds);
  }

  /**
   * @return {@code true} if the server and its database are healthy
   */
  public boolean isHealthy() {
    return "healthy".equals(status);
  }
}
