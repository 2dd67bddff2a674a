package dev.homelab.client.mqtt;

import dev.homelab.client.events.EventSubscription;
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

  /**
   * Follows the messages the server receives as they arrive ({@code GET /api/mqtt/stream}),
   * reconnecting when the stream drops.
   *
   * @param filter an MQTT topic filter such as {@code zigbee2mqtt/+}, or {@code null} for all
   * @param listener receives the messages
   * @return the subscription, to close
   */
  EventSubscription stream(String filter, MqttMessageListener listener);
}
