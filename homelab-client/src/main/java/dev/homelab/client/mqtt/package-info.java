/**
 * The server's MQTT bridge ({@code /api/mqtt}): {@link dev.homelab.client.mqtt.MqttApi}, its
 * blocking twin and its wire records.
 */
package dev.homelab.client.mqtt;
