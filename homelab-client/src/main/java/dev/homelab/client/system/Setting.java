package dev.homelab.client.system;

import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * A server setting.
 *
 * @param key the key
 * @param value the JSON value: {@link JsonObject}, {@link io.vertx.core.json.JsonArray}, String,
 *     Number or Boolean
 * @param updatedAt when it was last written
 */
public record Setting(String key, Object value, Instant updatedAt) {

  /**
   * Reads the JSON the server sends; unknown fields are ignored.
   *
   * @param json one setting
   * @return the setting
   */
  public static Setting fromJson(JsonObject json) {
    return new Setting(
        json.getString("key"), json.getValue("value"), Instant.parse(json.getString("updated_at")));
  }

  /**
   * @return the JSON the server sends
   */
  public JsonObject toJson() {
    return new JsonObject()
        .put("key", key)
        .put("value", value)
        .put("updated_at", updatedAt.toString());
  }
}
