package dev.homelab.server;

import io.netty.handler.codec.mqtt.MqttQoS;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.mqtt.MqttClient;
import io.vertx.mqtt.MqttClientOptions;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A sensor on the server's MQTT device gateway, for the ITs: a real MQTT client (vertx-mqtt) logged
 * in with its device id and token, publishing QoS 1 readings with message ids of its own and
 * keeping those the gateway acknowledged (PUBACK).
 */
final class MqttSensor {

  final String deviceId;
  final Set<String> acked = ConcurrentHashMap.newKeySet();
  final AtomicBoolean closed = new AtomicBoolean();
  private final Map<Integer, String> inFlight = new ConcurrentHashMap<>();
  private final String prefix;
  private MqttClient client;
  long timer;
  long sent;

  private MqttSensor(String deviceId, String prefix) {
    this.deviceId = deviceId;
    this.prefix = prefix;
  }

  /**
   * Connects a sensor and waits (at most 10 s) for its CONNACK.
   *
   * @param prefix the start of its message ids, to tell its readings from others'
   */
  static MqttSensor connect(
      Vertx vertx, int gatewayPort, String deviceId, String token, String clientId, String prefix)
      throws Exception {
    MqttSensor sensor = new MqttSensor(deviceId, prefix);
    MqttClient client =
        MqttClient.create(
            vertx,
            new MqttClientOptions()
                .setClientId(clientId)
                .setUsername(deviceId)
                .setPassword(token)
                .setAutoKeepAlive(true));
    client.publishCompletionHandler(sensor::acknowledged);
    client.closeHandler(v -> sensor.closed.set(true));
    client
        .connect(gatewayPort, "127.0.0.1")
        .toCompletionStage()
        .toCompletableFuture()
        .get(10, TimeUnit.SECONDS);
    sensor.client = client;
    return sensor;
  }

  /** Publishes the next reading at QoS 1, if still connected. */
  void publishNext() {
    if (client == null || !client.isConnected()) {
      return;
    }
    String messageId = prefix + sent++;
    JsonObject reading =
        new JsonObject()
            .put("temperature", 20 + (sent % 100) / 10.0)
            .put("humidity", 45)
            .put("ts", System.currentTimeMillis() / 1000.0)
            .put("message_id", messageId);
    client
        .publish(
            "homelab/sensors/" + deviceId,
            Buffer.buffer(reading.encode()),
            MqttQoS.AT_LEAST_ONCE,
            false,
            false)
        .onSuccess(packetId -> inFlight.put(packetId, messageId));
  }

  private void acknowledged(Integer packetId) {
    String messageId = inFlight.remove(packetId);
    if (messageId != null) {
      acked.add(messageId);
    }
  }
}
