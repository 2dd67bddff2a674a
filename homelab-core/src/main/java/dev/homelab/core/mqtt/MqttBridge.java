package dev.homelab.core.mqtt;

import dev.homelab.core.mqtt.impl.MqttBridgeImpl;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.util.List;
import java.util.Optional;

/**
 * One connection to an external MQTT broker, kept up for as long as the bridge is open.
 *
 * <p>Guarantees:
 *
 * <ul>
 *   <li>After every (re)connection the bridge subscribes again to every configured filter, with a
 *       clean session, so the broker holds exactly one subscription per filter and sends the
 *       retained state of each matching topic again.
 *   <li>A dropped connection (broker restart, network cut, keep-alive timeout) is retried with
 *       exponential backoff and jitter, between the configured bounds, until {@link #close()}.
 *   <li>{@link #publish} never fails for want of a connection: a message published while
 *       disconnected waits in a bounded outbox and is sent, in order, after the reconnection. When
 *       the outbox is full the oldest message is dropped (its future fails) and {@link
 *       #droppedCount()} counts it. A QoS 1 or 2 message whose acknowledgement did not come before
 *       the connection dropped goes back to the head of the outbox: delivery is at least once.
 *   <li>{@link #lastMessage} holds the newest message of each topic heard, retained states
 *       included, for at most the configured number of topics (the one updated longest ago is
 *       forgotten first).
 * </ul>
 *
 * <p>Thread-safe: every method may be called from any thread. Handlers run on the bridge's event
 * loop and must not block.
 */
public interface MqttBridge {

  /**
   * Creates a bridge; nothing connects before {@link #start()}.
   *
   * @param vertx the Vert.x instance whose event loop runs the bridge
   * @param options where the broker is; copied
   * @return the bridge
   * @throws dev.homelab.core.ValidationException if the options have no broker URL
   */
  static MqttBridge create(Vertx vertx, MqttBridgeOptions options) {
    return new MqttBridgeImpl(vertx, new MqttBridgeOptions(options).validate());
  }

  /**
   * Starts connecting. The bridge keeps trying in the background whatever happens to the first
   * attempt, so an application need not wait on the returned future to start.
   *
   * @return completed once the bridge is first connected and has subscribed; failed if the first
   *     attempt failed (retries go on) or the bridge was closed first
   */
  Future<Void> start();

  /**
   * @return whether the connection is up now
   */
  boolean isConnected();

  /**
   * Publishes a message.
   *
   * @param topic the topic, without wildcards
   * @param payload the bytes to send
   * @param qos 0, 1 or 2
   * @param retain whether the broker keeps it as the topic's state for later subscribers
   * @return completed when the broker acknowledged it (PUBACK for QoS 1, PUBCOMP for QoS 2) or, at
   *     QoS 0, when it was written to the connection; failed if it was dropped from a full outbox,
   *     the broker did not acknowledge it in time, or the bridge was closed before it was sent
   * @throws dev.homelab.core.ValidationException (field {@code topic} or {@code qos}) if the topic
   *     or QoS is invalid
   */
  Future<Void> publish(String topic, Buffer payload, int qos, boolean retain);

  /**
   * Publishes a UTF-8 text message; see {@link #publish(String, Buffer, int, boolean)}.
   *
   * @param topic the topic, without wildcards
   * @param payload the text to send
   * @param qos 0, 1 or 2
   * @param retain whether the broker keeps it as the topic's state
   * @return as {@link #publish(String, Buffer, int, boolean)}
   */
  default Future<Void> publish(String topic, String payload, int qos, boolean retain) {
    return publish(topic, Buffer.buffer(payload), qos, retain);
  }

  /**
   * Registers a handler for the received messages whose topic matches a filter. The bridge only
   * receives what its configured subscriptions cover, so the filter should lie within one of them.
   *
   * @param filter a topic filter such as {@code zigbee2mqtt/+} or {@code homelab/sensors/#}
   * @param handler called on the event loop with each matching message, retained states included
   * @return the registration, to cancel
   * @throws dev.homelab.core.ValidationException (field {@code filter}) if the filter is invalid
   */
  MqttSubscription onMessage(String filter, Handler<MqttMessage> handler);

  /**
   * @param topic a topic name
   * @return the newest message heard on it, if any
   */
  Optional<MqttMessage> lastMessage(String topic);

  /**
   * @return the newest message of every topic heard, topic updated longest ago first
   */
  List<MqttMessage> lastMessages();

  /**
   * @return the messages waiting in the outbox now
   */
  int outboxSize();

  /**
   * @return the messages dropped from a full outbox since the bridge was created
   */
  long droppedCount();

  /**
   * @return the connections made since the bridge was created, the first one included
   */
  long connectionCount();

  /**
   * Disconnects and stops reconnecting. Messages still in the outbox fail.
   *
   * @return completed when the connection is closed
   */
  Future<Void> close();
}
