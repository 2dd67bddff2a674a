package dev.homelab.client.mqtt;

import io.vertx.core.json.JsonObject;

/**
 * A message to publish.
 *
 * @param topic the topic, without the wildcards {@code +} and {@code #}
 * @param payload UTF-8 text; {@code null} is empty (with retain: clears the topic's retained state)
 * @param qos 0, 1 or 2
 * @param retain whether the broker keeps it as the topic's state
 */
public record MqttPublish(String topic, String payload, int qos, boolean retain) {

  /**
   * @return the request body
   */
  public JsonObject json() {
    JsonObject json = new JsonObject().put("topic", topic).put("qos", qos).put("retain", retain);
    if (payload != null) {
      json.put("payload", payload);
    }
    return json;
  }
}
