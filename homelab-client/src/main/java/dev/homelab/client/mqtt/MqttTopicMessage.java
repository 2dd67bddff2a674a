package dev.homelab.client.mqtt;

import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;

/**
 * The newest message the server heard on a topic.
 *
 * @param topic the topic
 * @param payload the payload as the server sent it: text, or base64 when {@code encoding} is {@code
 *     base64}
 * @param encoding {@code utf-8} or {@code base64}; from the stream also {@code json} (the payload
 *     is then the JSON object or array as text)
 * @param qos the QoS it was delivered with
 * @param retained whether the broker sent it as the topic's retained state
 * @param receivedAt when the server received it
 */
public record MqttTopicMessage(
    String topic, String payload, String encoding, int qos, boolean retained, Instant receivedAt) {

  /**
   * @param json one item of the server's list
   * @return the record
   */
  public static MqttTopicMessage fromJson(JsonObject json) {
    String at = json.getString("received_at");
    return new MqttTopicMessage(
        json.getString("topic"),
        json.getString("payload"),
        json.getString("encoding"),
        json.getInteger("qos", 0),
        json.getBoolean("retained", false),
        at == null ? null : Instant.parse(at));
  }

  /**
   * @return the payload's bytes, decoded from base64 if need be
   */
  public byte[] bytes() {
    return "base64".equals(encoding)
        ? Base64.getDecoder().decode(payload)
        : payload.getBytes(StandardCharsets.UTF_8);
  }
}
