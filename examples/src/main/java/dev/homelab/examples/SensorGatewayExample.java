package dev.homelab.examples;

import io.netty.handler.codec.mqtt.MqttQoS;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.mqtt.MqttClient;
import io.vertx.mqtt.MqttClientOptions;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A simulated temperature sensor on the server's MQTT device gateway: it logs in with its device id
 * and device token and publishes readings at QoS 1, each PUBACKed once the server committed it.
 *
 * <p>Register the sensor first (a device, then its token: {@code POST /api/devices} and {@code POST
 * /api/devices/{id}/token}), and put them in {@code HOMELAB_DEVICE_ID} and {@code
 * HOMELAB_DEVICE_TOKEN}. Arguments: how many readings (default 10), then the gateway's host and
 * port (default {@code 127.0.0.1 1884}).
 */
public final class SensorGatewayExample {

  private SensorGatewayExample() {}

  public static void main(String[] args) {
    String deviceId = System.getenv("HOMELAB_DEVICE_ID");
    String token = System.getenv("HOMELAB_DEVICE_TOKEN");
    if (deviceId == null || token == null) {
      System.err.println(
          "Set HOMELAB_DEVICE_ID and HOMELAB_DEVICE_TOKEN to a sensor's id and token.");
      System.exit(2);
    }
    int count = args.length > 0 ? Integer.parseInt(args[0]) : 10;
    String host = args.length > 1 ? args[1] : "127.0.0.1";
    int port = args.length > 2 ? Integer.parseInt(args[2]) : 1884;
    Vertx vertx = Vertx.vertx();
    try {
      int stored = send(vertx, host, port, deviceId, token, count).await();
      System.out.println(stored + " readings acknowledged, each once committed");
    } finally {
      vertx.close().await();
    }
  }

  // snippet:sensor-gateway
  static Future<Integer> send(
      Vertx vertx, String host, int port, String deviceId, String token, int count) {
    MqttClient sensor =
        MqttClient.create(vertx, new MqttClientOptions().setUsername(deviceId).setPassword(token));
    AtomicInteger acknowledged = new AtomicInteger();
    Promise<Integer> allStored = Promise.promise();
    // A PUBACK comes only once the reading is committed on the server.
    sensor.publishCompletionHandler(
        packetId -> {
          if (acknowledged.incrementAndGet() == count) {
            allStored.tryComplete(count);
          }
        });
    Future<Void> sent = sensor.connect(port, host).mapEmpty();
    for (int i = 0; i < count; i++) {
      JsonObject reading =
          new JsonObject()
              .put("temperature", 21 + i / 10.0)
              .put("humidity", 45)
              // Its own time (epoch seconds) and id: sent again after a lost PUBACK, it is still
              // stored once.
              .put("ts", System.currentTimeMillis() / 1000.0)
              .put("message_id", deviceId + "-" + i);
      sent =
          sent.compose(
              previous ->
                  sensor
                      .publish(
                          "homelab/sensors/" + deviceId, // its own topic; nothing else is allowed
                          reading.toBuffer(),
                          MqttQoS.AT_LEAST_ONCE,
                          false,
                          false)
                      .mapEmpty());
    }
    return sent.compose(all -> allStored.future()).eventually(sensor::disconnect);
  }
  // end:sensor-gateway
}
