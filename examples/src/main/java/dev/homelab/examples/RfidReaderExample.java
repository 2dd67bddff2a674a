package dev.homelab.examples;

import io.netty.handler.codec.mqtt.MqttQoS;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.mqtt.MqttClient;
import io.vertx.mqtt.MqttClientOptions;

/**
 * A simulated RFID door reader on the server's MQTT device gateway: it logs in with its device id
 * and device token, scans a card and prints the server's decision.
 *
 * <p>Register the reader first (a device, then its token: {@code POST /api/devices} and {@code POST
 * /api/devices/{id}/token}, or the client's {@code devices().create} and {@code issueToken}), and
 * put them in {@code HOMELAB_DEVICE_ID} and {@code HOMELAB_DEVICE_TOKEN}. Arguments: the card UID
 * (default {@code BA839D07}), then the gateway's host and port (default {@code 127.0.0.1 1884}).
 */
public final class RfidReaderExample {

  private RfidReaderExample() {}

  public static void main(String[] args) {
    String deviceId = System.getenv("HOMELAB_DEVICE_ID");
    String token = System.getenv("HOMELAB_DEVICE_TOKEN");
    if (deviceId == null || token == null) {
      System.err.println(
          "Set HOMELAB_DEVICE_ID and HOMELAB_DEVICE_TOKEN to a reader's id and token.");
      System.exit(2);
    }
    String card = args.length > 0 ? args[0] : "BA839D07";
    String host = args.length > 1 ? args[1] : "127.0.0.1";
    int port = args.length > 2 ? Integer.parseInt(args[2]) : 1884;
    Vertx vertx = Vertx.vertx();
    try {
      JsonObject decision = scan(vertx, host, port, deviceId, token, card).await();
      System.out.println(
          (decision.getBoolean("granted") ? "open: " : "stay shut: ")
              + decision.getString("reason")
              + " for card "
              + decision.getString("card_uid"));
    } finally {
      vertx.close().await();
    }
  }

  // snippet:rfid-reader
  static Future<JsonObject> scan(
      Vertx vertx, String host, int port, String deviceId, String token, String cardUid) {
    // The device id is the user name, the device token (hld_...) the password.
    MqttClient reader =
        MqttClient.create(
            vertx,
            new MqttClientOptions()
                .setUsername(deviceId)
                .setPassword(token)
                .setKeepAliveInterval(30));
    String topic = "homelab/access/" + deviceId; // a reader's own topics; nothing else is allowed
    Promise<JsonObject> decision = Promise.promise();
    reader.publishHandler(message -> decision.tryComplete(new JsonObject(message.payload())));
    return reader
        .connect(port, host)
        .compose(connected -> reader.subscribe(topic + "/decision", 1))
        // The gateway answers on <topic>/decision with {"granted", "reason", "card_uid", ...}; the
        // PUBACK of the scan comes once the decision is in the access log.
        .compose(
            subscribed ->
                reader.publish(
                    topic + "/scan",
                    new JsonObject().put("card_uid", cardUid).toBuffer(),
                    MqttQoS.AT_LEAST_ONCE,
                    false,
                    false))
        .compose(sent -> decision.future())
        .eventually(reader::disconnect);
  }
  // end:rfid-reader
}
