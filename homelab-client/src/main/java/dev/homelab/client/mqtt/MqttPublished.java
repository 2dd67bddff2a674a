package dev.homelab.client.mqtt;

import io.vertx.core.json.JsonObject;

/**
 * What became of a published message.
 *
 * @param topic its topic
 * @param qos its QoS
 * @param retain whether it was published retained
 * @param bytes its payload's size
 * @param queued true if the server's broker connection was down and it waits in the outbox; false
 *     if the broker took it
 */
public record MqttPublished(String topic, int qos, boolean retain, int bytes, boolean queued) {

  /**
   * @param json the server's answer
   * @return the record
   */
  public static MqttPublished fromJson(JsonObject json) {
    return new MqttPublished(
        json.getString("topic"),
        json.getInteger("qos", 0),
        json.getBoolean("retain", false),
        json.getInteger("bytes", 0),
        json.getBoolean("queued", false));
  }
}
