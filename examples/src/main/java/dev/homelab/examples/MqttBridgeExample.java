package dev.homelab.examples;

import dev.homelab.core.mqtt.MqttBridge;
import dev.homelab.core.mqtt.MqttBridgeOptions;
import dev.homelab.core.mqtt.MqttMessage;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.UUID;

/**
 * Connects to an MQTT broker, publishes a retained state and reads it back from the bridge's
 * last-value cache. Run it with the broker URL as argument (default {@code mqtt://127.0.0.1:1883}).
 */
public final class MqttBridgeExample {

  private MqttBridgeExample() {}

  public static void main(String[] args) {
    Vertx vertx = Vertx.vertx();
    try {
      String broker = args.length > 0 ? args[0] : "mqtt://127.0.0.1:1883";
      String topic = "homelab/examples/" + UUID.randomUUID() + "/lamp";
      MqttMessage state = run(vertx, broker, topic).await();
      System.out.println(
          "read back "
              + state.payloadAsString()
              + " on "
              + state.topic()
              + ", retained: "
              + state.retained());
    } finally {
      vertx.close().await();
    }
  }

  // snippet:mqtt-bridge
  static Future<MqttMessage> run(Vertx vertx, String brokerUrl, String topic) {
    MqttBridgeOptions options =
        new MqttBridgeOptions()
            .setBrokerUrl(brokerUrl) // mqtt://host:1883, or mqtts:// with setTls(...)
            .setSubscriptions(List.of(topic)); // default: zigbee2mqtt/# and homelab/#
    MqttBridge publisher = MqttBridge.create(vertx, options);
    // QoS 1 with retain: completes on the broker's PUBACK, and the broker keeps the state.
    Future<Void> published =
        publisher
            .start()
            .compose(connected -> publisher.publish(topic, "{\"state\":\"ON\"}", 1, true))
            .eventually(publisher::close);
    // A bridge connecting later gets the retained state on subscribing, into its cache.
    MqttBridge reader = MqttBridge.create(vertx, options.setClientId("homelab-reader"));
    Promise<MqttMessage> heard = Promise.promise();
    reader.onMessage(topic, heard::tryComplete);
    return published
        .compose(acknowledged -> reader.start())
        .compose(connected -> heard.future())
        .map(message -> reader.lastMessage(topic).orElseThrow())
        // An empty retained message clears the state, so that the broker is left as found.
        .compose(state -> reader.publish(topic, "", 1, true).map(state))
        .eventually(reader::close);
  }
  // end:mqtt-bridge
}
