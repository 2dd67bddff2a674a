package dev.homelab.examples;

import dev.homelab.core.access.AccessEngine;
import dev.homelab.core.access.NewCardPolicy;
import dev.homelab.core.access.ReaderMessages;
import dev.homelab.core.identity.Actor;
import dev.homelab.core.mqtt.MqttAccess;
import dev.homelab.core.mqtt.MqttBridge;
import dev.homelab.core.mqtt.MqttBridgeOptions;
import dev.homelab.core.store.Storage;
import dev.homelab.core.store.StorageOptions;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.UUID;

/**
 * Answers RFID door readers on an MQTT broker from an embedding app, without the server: the access
 * engine on an SQLite file, a bridge to the broker, and {@link MqttAccess} between them. A Tasmota
 * RC522 reader's message (as Tasmota publishes it) is sent to the broker and the decision read back
 * from the reader's decision topic.
 *
 * <p>Arguments: the broker url (default {@code mqtt://127.0.0.1:1883}), then optionally a {@code
 * postgres://} url for the store.
 */
public final class MqttAccessExample {

  private MqttAccessExample() {}

  public static void main(String[] args) throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      String broker = args.length > 0 ? args[0] : "mqtt://127.0.0.1:1883";
      StorageOptions store =
          ExampleStorage.fromArgs(args.length > 1 ? new String[] {args[1]} : new String[0]);
      String base = "homelab/examples/" + UUID.randomUUID().toString().substring(0, 8) + "/access";
      System.out.println(run(vertx, broker, store, base));
    } finally {
      vertx.close().await();
    }
  }

  /**
   * Waits for each step with {@code await()}: call it from a plain or a virtual thread, never from
   * an event loop.
   *
   * @return the decision the reader got
   */
  static JsonObject run(Vertx vertx, String brokerUrl, StorageOptions options, String base) {
    Storage storage = Storage.open(vertx, options).await();
    AccessEngine engine = AccessEngine.builder(vertx).storage(storage).start().await();
    engine
        .addCard(
            Actor.system("mqtt-access-example"),
            new NewCardPolicy("BA839D07", "Ann", true, null, null, null, null, null))
        .await();
    MqttBridge bridge =
        MqttBridge.create(
            vertx,
            new MqttBridgeOptions().setBrokerUrl(brokerUrl).setSubscriptions(List.of(base + "/#")));
    try {
      // snippet:mqtt-access
      MqttAccess readers = new MqttAccess(engine, new ReaderMessages(base));
      // Answer while this instance should: with several instances, pass the leadership's isLeader.
      readers.attach(bridge, () -> true);
      Promise<JsonObject> decision = Promise.promise();
      bridge.onMessage(
          base + "/front-door/decision",
          message -> decision.tryComplete(new JsonObject(message.payloadAsString())));
      bridge.start().await();
      // What a Tasmota RC522 reader sends with FullTopic <base>/%topic%/%prefix%/ (here the bridge
      // itself plays the reader).
      bridge
          .publish(
              base + "/front-door/tele/SENSOR",
              "{\"Time\":\"2021-01-23T13:10:50\",\"RC522\":{\"UID\":\"BA839D07\",\"Data\":\"\"}}",
              1,
              false)
          .await();
      // {"granted":true,"reason":"GRANTED","card_uid":"BA839D07","decision_id":"..."}
      return decision.future().await();
      // end:mqtt-access
    } finally {
      bridge.close().await();
      engine.close().await();
      storage.close().await();
    }
  }
}
