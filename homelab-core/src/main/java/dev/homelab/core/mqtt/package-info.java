/**
 * The MQTT bridge: one client connection to an external broker (Mosquitto, EMQX) that subscribes to
 * configured topic filters (by default zigbee2mqtt's {@code zigbee2mqtt/#} and Homelab's {@code
 * homelab/#}), keeps the last payload of every topic it hears, hands each message to the handlers
 * registered for it, and publishes on request.
 *
 * <p>{@link dev.homelab.core.mqtt.MqttBridge} is the API, {@link
 * dev.homelab.core.mqtt.MqttBridgeOptions} its configuration, {@link
 * dev.homelab.core.mqtt.MqttTopics} checks and matches topics. The connection, the reconnection
 * with backoff and the outbox live in {@code impl}. The vertx-mqtt client is an optional dependency
 * of core: an application that uses the bridge adds {@code io.vertx:vertx-mqtt}.
 */
package dev.homelab.core.mqtt;
