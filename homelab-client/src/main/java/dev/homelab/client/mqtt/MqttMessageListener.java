package dev.homelab.client.mqtt;

/** Receives the messages of {@link MqttApi#stream}. Called on a Vert.x event loop: do not block. */
public interface MqttMessageListener {

  /** The stream is open (again). */
  default void onOpen() {}

  /**
   * @param message a message the server received; a JSON payload has encoding {@code json} and its
   *     JSON text as payload
   */
  void onMessage(MqttTopicMessage message);

  /**
   * @param cause why the stream dropped
   * @param delayMillis when the client reconnects
   */
  default void onReconnecting(Throwable cause, long delayMillis) {}

  /** The subscription was closed. */
  default void onClosed() {}

  /**
   * @param failure why the subscription gave up (such as 404 MQTT_NOT_CONFIGURED)
   */
  default void onFailure(Throwable failure) {}
}
