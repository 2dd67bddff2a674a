package dev.homelab.core.mqtt;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * A message the bridge received from the broker.
 *
 * @param topic the topic it was published to
 * @param payload its bytes, as published (zigbee2mqtt sends JSON, other devices plain text)
 * @param qos the QoS it was delivered with, 0 to 2
 * @param retained whether the broker delivered it as the topic's retained state (sent on
 *     subscribing, not published live)
 * @param receivedAt when the bridge received it
 */
public record MqttMessage(
    String topic, Buffer payload, int qos, boolean retained, Instant receivedAt) {

  /**
   * @return the payload decoded as UTF-8
   */
  public String payloadAsString() {
    return payload.toString(StandardCharsets.UTF_8);
  }
}
