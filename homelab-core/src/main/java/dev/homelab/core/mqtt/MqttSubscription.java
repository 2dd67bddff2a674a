package dev.homelab.core.mqtt;

/** A handler registered with {@link MqttBridge#onMessage}; cancel it to stop receiving. */
@FunctionalInterface
public interface MqttSubscription {

  /** Stops delivering messages to the handler. Idempotent. */
  void cancel();
}
