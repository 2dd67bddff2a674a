package dev.homelab.client.mqtt;

import io.vertx.core.Future;

/** The server's one MQTT broker connection: what it heard, and publishing through it. */
public interface MqttApi {

  /**
   * @return the newest message of every topic the server heard, sorted by topic; fails with a
   *     {@link dev.homelab.client.HomelabNotFoundException} ({@code MQTT_NOT_CONFIGURED}) when the
   *     server has no broker
   */
  Future<MqttTopicList> topics();

  /**
   * Publishes a message (administrators only; audited).
   *
   * @param message what to publish
   * @return what became of it: sent, or queued while the server's broker connection is down
   */
  Future<MqttPublished> publish(MqttPublish message);
}
