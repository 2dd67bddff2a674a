package dev.homelab.examples;

import dev.homelab.core.HomelabException;
import dev.homelab.core.devices.Device;
import dev.homelab.core.devices.DeviceRegistry;
import dev.homelab.core.devices.NewDevice;
import dev.homelab.core.events.EventHub;
import dev.homelab.core.identity.Actor;
import dev.homelab.core.identity.Role;
import dev.homelab.core.identity.User;
import dev.homelab.core.metrics.Downsampler;
import dev.homelab.core.metrics.DownsamplerOptions;
import dev.homelab.core.metrics.TimeRange;
import dev.homelab.core.store.Storage;
import dev.homelab.core.store.StorageOptions;
import dev.homelab.core.telemetry.IngestResult;
import dev.homelab.core.telemetry.SensorCollector;
import dev.homelab.core.telemetry.SensorHistory;
import dev.homelab.core.telemetry.SensorIngest;
import dev.homelab.core.telemetry.SensorIngestOptions;
import dev.homelab.core.telemetry.SensorReading;
import dev.homelab.core.telemetry.SensorReadings;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Uses sensor ingestion without a server: a user's sensor sends MQTT-shaped payloads, a redelivery
 * is stored once, a reading too old and another user's device are refused, and the collector feeds
 * the readings into the metric tiers, from which the device's history is read, on an SQLite file.
 *
 * <p>Pass a {@code postgres://} url as the first argument to use PostgreSQL instead.
 */
public final class SensorIngestExample {

  private SensorIngestExample() {}

  public static void main(String[] args) throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      run(vertx, ExampleStorage.fromArgs(args), Clock.systemUTC()).forEach(System.out::println);
    } finally {
      vertx.close().await();
    }
  }

  /**
   * Waits for each step with {@code await()}, to read top to bottom: call it from a plain or a
   * virtual thread, never from an event loop.
   */
  static List<String> run(Vertx vertx, StorageOptions options, Clock clock) {
    List<String> out = new ArrayList<>();
    Storage storage = Storage.open(vertx, options).await();
    EventHub events = EventHub.create(vertx);
    DownsamplerOptions tiers = new DownsamplerOptions();
    Downsampler downsampler = Downsampler.create(vertx, storage.metrics(), tiers, clock);
    SensorIngest ingest =
        new SensorIngest(
            vertx,
            storage,
            events,
            clock,
            new SensorIngestOptions().setLateness(tiers.getLateness()));
    try {
      User alice = storage.users().create("alice", Role.USER, "example-hash").await();
      User bob = storage.users().create("bob", Role.USER, "example-hash").await();
      Actor asAlice = new Actor(alice.id(), alice.username(), alice.role(), "example", null);
      Actor asBob = new Actor(bob.id(), bob.username(), bob.role(), "example", null);
      Device hall =
          new DeviceRegistry(storage, events, clock)
              .create(asAlice, new NewDevice("Hall", "sensor", null, null))
              .await();

      // What a sensor publishes on homelab/sensors/{device_id}, with the MQTT message's id.
      Instant now = clock.instant();
      List<SensorReading> readings = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        JsonObject payload =
            new JsonObject()
                .put("temperature", 21.0 + i)
                .put("humidity", 45)
                .put("ts", now.minusSeconds(30 - 10L * i).getEpochSecond());
        readings.add(SensorReadings.fromJson(hall.id(), payload, "msg-" + i, now));
      }
      // The future completes once the readings are committed: that is when a PUBACK may go out.
      IngestResult first = ingest.ingest(asAlice, readings).await();
      out.add("sent 3: " + first.stored() + " stored, " + first.duplicates() + " duplicates");
      IngestResult again = ingest.ingest(asAlice, List.of(readings.get(2))).await();
      out.add("redelivered: " + again.stored() + " stored, " + again.duplicates() + " duplicate");

      SensorReading stale =
          SensorReadings.fromJson(
              hall.id(),
              new JsonObject()
                  .put("temperature", 5)
                  .put("ts", now.minusSeconds(3600).getEpochSecond()),
              null,
              now);
      out.add("an hour old: " + failure(() -> ingest.ingest(asAlice, List.of(stale)).await()));
      out.add("bob sends for it: " + failure(() -> ingest.ingest(asBob, readings).await()));

      // On a server this collector runs on the leader, every second.
      SensorCollector collector =
          new SensorCollector(
              storage.sensorReadings(),
              downsampler,
              clock,
              Duration.ofSeconds(1),
              Duration.ZERO,
              tiers.getLateness());
      collector.collect().await();
      SensorHistory.Readings history =
          new SensorHistory(storage.devices(), downsampler)
              .readings(
                  asAlice,
                  hall.id(),
                  TimeRange.between(now.minusSeconds(600), now.plusSeconds(1)),
                  List.of("temperature"),
                  0)
              .await();
      out.add(
          "history ("
              + history.tier().name()
              + "): "
              + history.rows().stream().map(r -> r.value("temperature")).toList());
      return out;
    } finally {
      ingest.close().await();
      downsampler.close().await();
      storage.close().await();
    }
  }

  private static String failure(Runnable call) {
    try {
      call.run();
      return "accepted";
    } catch (HomelabException e) {
      return e.errorCode()
          + (e instanceof dev.homelab.core.ValidationException v ? " on " + v.field() : "");
    }
  }
}
