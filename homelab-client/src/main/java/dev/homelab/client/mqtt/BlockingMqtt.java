package dev.homelab.client.mqtt;

import dev.homelab.client.events.EventSubscription;
import dev.homelab.client.internal.Waiter;

/**
 * {@link MqttApi}, waiting for each answer; see {@link dev.homelab.client.BlockingHomelabClient}.
 */
public final class BlockingMqtt {

  private final MqttApi mqtt;
  private final Waiter waiter;

  /**
   * @param mqtt the asynchronous API
   * @param timeoutMs how long to wait for an answer
   */
  public BlockingMqtt(MqttApi mqtt, long timeoutMs) {
    this.mqtt = mqtt;
    this.waiter = new Waiter(timeoutMs);
  }

  /**
   * @return as {@link MqttApi#topics()}
   */
  public MqttTopicList topics() {
    return waiter.await(mqtt.topics());
  }

  /**
   * @param message what to publish
   * @return as {@link MqttApi#publish(MqttPublish)}
   */
  public MqttPublished publish(MqttPublish message) {
    return waiter.await(mqtt.publish(message));
  }

  /**
   * @param filter an MQTT topic filter, or {@code null} for all
   * @param listener receives the messages
   * @return as {@link MqttApi#stream}; it does not block
   */
  public EventSubscription stream(String filter, MqttMessageListener listener) {
    return mqtt.stream(filter, listener);
  }
}
