package dev.homelab.client.devices;

import io.vertx.core.json.JsonObject;

/**
 * A device's token for the MQTT device gateway, as {@code POST /api/devices/{id}/token} answers it:
 * the only time the server shows it. {@link #toString()} leaves the token out, so the value is safe
 * to log.
 *
 * @param deviceId the device's id
 * @param token the token
 */
public record DeviceToken(String deviceId, String token) {

  /**
   * Reads the JSON the server sends; unknown fields are ignored.
   *
   * @param json the response body
   * @return the token
   */
  public static DeviceToken fromJson(JsonObject json) {
    return new DeviceToken(json.getString("device_id"), json.getString("token"));
  }

  /**
   * @return the JSON the server sends, token included: do not log it
   */
  public JsonObject toJson() {
    return new JsonObject().put("device_id", deviceId).put("token", token);
  }

  /**
   * @return the device's id with the token masked as {@code ***}
   */
  @Override
  public String toString() {
    return "DeviceToken[deviceId=" + deviceId + ", token=***]";
  }
}
