/**
 * The MQTT device gateway: a small MQTT server ({@link dev.homelab.server.mqtt.MqttGateway}) for
 * door readers and sensors that talk to Homelab without a broker, each logged in as its device with
 * its device token and confined to its own topics.
 */
package dev.homelab.server.mqtt;
