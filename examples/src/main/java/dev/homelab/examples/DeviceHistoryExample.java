package dev.homelab.examples;

import dev.homelab.core.metrics.Downsampler;
import dev.homelab.core.metrics.Period;
import dev.homelab.core.metrics.TimeRange;
import dev.homelab.core.mqtt.MqttBridge;
import dev.homelab.core.mqtt.MqttBridgeOptions;
import dev.homelab.core.store.Storage;
import dev.homelab.core.telemetry.DeviceHistory;
import dev.homelab.core.telemetry.DeviceStateHistory;
import dev.homelab.core.telemetry.DeviceStateOptions;
import dev.homelab.core.telemetry.DeviceStateRecorder;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Records a zigbee2mqtt lamp's state changes heard on an MQTT broker, then reads its history back:
 * the changes, and its numeric fields as metric series. Run it with the broker URL as first
 * argument (default {@code mqtt://127.0.0.1:1883}) and optionally a store url second (default: a
 * new SQLite file). The lamp lives under a base topic of its own, so no real zigbee2mqtt is
 * disturbed.
 */
public final class DeviceHistoryExample {

  private DeviceHistoryExample() {}

  public static void main(String[] args) throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      String broker = args.length > 0 ? args[0] : "mqtt://127.0.0.1:1883";
      String[] store = args.length > 1 ? new String[] {args[1]} : new String[0];
      Storage storage = Storage.open(vertx, ExampleStorage.fromArgs(store)).await();
      try {
        String base = "homelab-examples/" + UUID.randomUUID() + "/zigbee2mqtt";
        DeviceHistory history = run(vertx, storage, broker, base).await();
        System.out.println(history.topic() + ": " + history.states().size() + " changes");
        history.states().forEach(change -> System.out.println("  " + change.toJson().encode()));
        System.out.println("series: " + history.series().rowsJson().encode());
      } finally {
        storage.close().await();
      }
    } finally {
      vertx.close().await();
    }
  }

  // snippet:device-history
  static Future<DeviceHistory> run(Vertx vertx, Storage storage, String brokerUrl, String base) {
    Downsampler downsampler = Downsampler.create(vertx, storage.metrics());
    DeviceStateRecorder recorder =
        new DeviceStateRecorder(
            vertx,
            storage.deviceStates(),
            downsampler, // numeric fields become device.<field>{topic=...} series
            DeviceStateOptions.defaults().withBaseTopics(List.of(base)),
            Clock.systemUTC());
    MqttBridge bridge =
        MqttBridge.create(
            vertx,
            new MqttBridgeOptions().setBrokerUrl(brokerUrl).setSubscriptions(List.of(base + "/#")));
    recorder.attach(bridge);
    // Alone, an app records from the start; instances sharing a store run recorder.leaderJob(...)
    // under a Leadership, so that only the leader records.
    recorder.startRecording(List.of());
    String lamp = base + "/living room/lamp";
    Promise<Void> heardOff = Promise.promise();
    bridge.onMessage(
        lamp,
        m -> {
          if (m.payloadAsString().contains("OFF")) {
            heardOff.tryComplete();
          }
        });
    return bridge
        .start()
        .compose(up -> bridge.publish(lamp, "{\"state\":\"ON\",\"brightness\":254}", 1, false))
        // The same state again is no change, and is not recorded.
        .compose(sent -> bridge.publish(lamp, "{\"state\":\"ON\",\"brightness\":254}", 1, false))
        .compose(sent -> bridge.publish(lamp, "{\"state\":\"OFF\",\"brightness\":0}", 1, false))
        .compose(sent -> heardOff.future())
        .compose(heard -> recorder.flush())
        .compose(
            recorded ->
                new DeviceStateHistory(storage.deviceStates(), downsampler, recorder)
                    .device(lamp, TimeRange.last(Period.HOUR, Instant.now()), 0))
        .eventually(() -> bridge.close().eventually(downsampler::close));
  }
  // end:device-history
}
