package dev.homelab.core.services;

import static dev.homelab.core.testing.VertxTesting.await;
import static dev.homelab.core.testing.VertxTesting.awaitFailure;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.homelab.core.ErrorKind;
import dev.homelab.core.ForbiddenException;
import dev.homelab.core.HomelabException;
import dev.homelab.core.Transactional;
import dev.homelab.core.ValidationException;
import dev.homelab.core.devices.Device;
import dev.homelab.core.devices.DeviceRepository;
import dev.homelab.core.devices.NewDevice;
import dev.homelab.core.events.Event;
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
import dev.homelab.core.telemetry.SensorReadingRepository;
import dev.homelab.core.telemetry.SensorReadings;
import dev.homelab.core.telemetry.StoredReading;
import dev.homelab.core.testing.VertxTesting;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sensor ingestion on a real SQLite store: checks, who may send, group commit, duplicates, the busy
 * refusal, events, and the way through the collector to the history.
 */
class SensorIngestTest {

  @TempDir Path dir;
  static Vertx vertx;
  Storage storage;
  EventHub events;
  CountingStore store;
  SensorIngest ingest;
  Actor alice;
  Actor bob;
  Device hall;

  /** The storage, with the readings' appends counted (and, when a gate is set, held). */
  static final class CountingStore implements Transactional<SensorIngest.Repositories> {
    final Storage storage;
    final AtomicInteger appends = new AtomicInteger();
    volatile Promise<Void> gate;
    final Promise<Void> entered = Promise.promise();

    CountingStore(Storage storage) {
      this.storage = storage;
    }

    @Override
    public SensorIngest.Repositories repositories() {
      SensorReadingRepository real = storage.sensorReadings();
      SensorReadingRepository counting =
          new SensorReadingRepository() {
            @Override
            public Future<List<SensorReading>> append(
                List<SensorReading> readings, Instant storedAt) {
              appends.incrementAndGet();
              Promise<Void> held = gate;
              if (held == null) {
                return real.append(readings, storedAt);
              }
              entered.tryComplete();
              return held.future().compose(v -> real.append(readings, storedAt));
            }

            @Override
            public Future<List<StoredReading>> after(
                long position, Instant storedBefore, int limit) {
              return real.after(position, storedBefore, limit);
            }

            @Override
            public Future<Long> positionBefore(Instant storedAt) {
              return real.positionBefore(storedAt);
            }
          };
      return new SensorIngest.Repositories() {
        @Override
        public DeviceRepository devices() {
          return storage.devices();
        }

        @Override
        public SensorReadingRepository sensorReadings() {
          return counting;
        }
      };
    }

    @Override
    public <T> Future<T> inTransaction(
        Function<? super SensorIngest.Repositories, Future<T>> work) {
      return storage.inTransaction(work);
    }
  }

  @BeforeAll
  static void startVertx() {
    vertx = VertxTesting.vertx();
  }

  @AfterAll
  static void stopVertx() {
    await(vertx.close());
  }

  @BeforeEach
  void open() {
    storage =
        await(
            Storage.open(
                vertx, new StorageOptions().setSqlitePath(dir.resolve("lab.db").toString())));
    events = EventHub.create(vertx);
    store = new CountingStore(storage);
    ingest = new SensorIngest(vertx, store, events, Clock.systemUTC(), new SensorIngestOptions());
    User a = await(storage.users().create("alice", Role.USER, "h"));
    User b = await(storage.users().create("bob", Role.USER, "h"));
    alice = new Actor(a.id(), "alice", Role.USER, "test", null);
    bob = new Actor(b.id(), "bob", Role.USER, "test", null);
    hall = await(storage.devices().create(a.id(), new NewDevice("hall", "sensor", null, null)));
  }

  @AfterEach
  void close() {
    await(ingest.close());
    await(storage.close());
  }

  static Instant now() {
    return Instant.now().truncatedTo(ChronoUnit.MILLIS);
  }

  SensorReading reading(Instant time, String messageId, double temperature) {
    return new SensorReading(
        hall.id(), time, messageId, Map.of("temperature", temperature, "humidity", 45.0));
  }

  List<StoredReading> stored() {
    return await(storage.sensorReadings().after(0, Instant.now().plusSeconds(60), 10_000));
  }

  static ValidationException invalid(Future<?> call) {
    Throwable failure = awaitFailure(call);
    assertThat(failure).isInstanceOf(ValidationException.class);
    return (ValidationException) failure;
  }

  @Test
  void aReadingIsCommittedBeforeItsCallCompletesAndADuplicateIsStoredOnce() {
    Instant t = now().minusSeconds(5);
    IngestResult first = await(ingest.ingest(alice, List.of(reading(t, "m-1", 21.5))));
    assertThat(first).isEqualTo(new IngestResult(1, 1, 0));
    assertThat(stored()).hasSize(1); // committed: the answer came after the commit

    // A QoS 1 redelivery or an HTTP retry: same device, time and message id.
    IngestResult again = await(ingest.ingest(alice, List.of(reading(t, "m-1", 21.5))));
    assertThat(again).isEqualTo(new IngestResult(1, 0, 1));
    IngestResult noId =
        await(ingest.ingest(alice, List.of(reading(t, null, 1), reading(t, null, 2))));
    assertThat(noId).isEqualTo(new IngestResult(2, 1, 1));
    assertThat(stored()).hasSize(2);
  }

  @Test
  void concurrentCallsShareCommits() {
    Instant t = now().minusSeconds(30);
    List<Future<IngestResult>> calls = new ArrayList<>();
    // From one event loop, as HTTP requests arrive: every call is queued before any commit ends.
    Promise<Void> sent = Promise.promise();
    vertx.runOnContext(
        v -> {
          for (int i = 0; i < 200; i++) {
            calls.add(ingest.ingest(alice, List.of(reading(t.plusMillis(i), null, i))));
          }
          sent.complete();
        });
    await(sent.future());
    await(Future.all(new ArrayList<>(calls)));
    assertThat(calls).allSatisfy(c -> assertThat(c.result().stored()).isEqualTo(1));
    assertThat(stored()).hasSize(200);
    assertThat(store.appends.get()).as("commits for 200 calls").isLessThan(200);
  }

  @Test
  void aFullQueueRefusesAtOnceWithBusyAndLosesNothingAccepted() {
    store.gate = Promise.promise();
    Instant t = now().minusSeconds(30);
    List<SensorReading> thousand = new ArrayList<>();
    for (int i = 0; i < SensorReadings.MAX_BATCH; i++) {
      thousand.add(reading(t.plusMillis(i), null, i));
    }
    SensorIngest small =
        new SensorIngest(
            vertx,
            store,
            events,
            Clock.systemUTC(),
            new SensorIngestOptions().setMaxPending(SensorReadings.MAX_BATCH));
    Future<IngestResult> held = small.ingest(alice, thousand);
    await(store.entered.future()); // its commit is in flight, held at the gate

    Throwable busy = awaitFailure(small.ingest(alice, List.of(reading(t.minusMillis(1), null, 1))));
    assertThat(busy).isInstanceOf(HomelabException.class);
    assertThat(((HomelabException) busy).kind()).isEqualTo(ErrorKind.BUSY);
    assertThat(((HomelabException) busy).errorCode()).isEqualTo(SensorIngest.BUSY);

    store.gate.complete();
    assertThat(await(held).stored()).isEqualTo(SensorReadings.MAX_BATCH);
    assertThat(stored()).hasSize(SensorReadings.MAX_BATCH);
    store.gate = null;
    assertThat(await(small.ingest(alice, List.of(reading(t.minusMillis(1), null, 1)))).stored())
        .isEqualTo(1);
    await(small.close());
  }

  @Test
  void badReadingsAreRefusedNamingTheFieldAndNothingIsStored() {
    Instant t = now();
    assertThat(invalid(ingest.ingest(alice, List.of(reading(t, null, Double.NaN)))).field())
        .isEqualTo("temperature");
    assertThat(
            invalid(ingest.ingest(alice, List.of(reading(t, null, Double.POSITIVE_INFINITY))))
                .field())
        .isEqualTo("temperature");
    assertThat(
            invalid(ingest.ingest(alice, List.of(new SensorReading(hall.id(), t, null, Map.of()))))
                .field())
        .isEqualTo("values");
    assertThat(
            invalid(ingest.ingest(alice, List.of(reading(t.minusSeconds(600), null, 1)))).field())
        .isEqualTo("ts");
    assertThat(invalid(ingest.ingest(alice, List.of(reading(t.plusSeconds(60), null, 1)))).field())
        .isEqualTo("ts");
    ValidationException inBatch =
        invalid(
            ingest.ingest(
                alice, List.of(reading(t, null, 1), reading(t.minusSeconds(3600), null, 2))));
    assertThat(inBatch.field()).isEqualTo("readings[1].ts");
    assertThat(
            invalid(
                    ingest.ingest(
                        alice,
                        List.of(new SensorReading(hall.id(), t, null, Map.of("Bad-Name", 1.0)))))
                .field())
        .isEqualTo("values");
    assertThat(stored()).isEmpty();
  }

  @Test
  void aForeignOrUnknownDeviceIsRefusedAlikeAndAViewerMayNotSend() {
    Instant t = now();
    ValidationException foreign = invalid(ingest.ingest(bob, List.of(reading(t, null, 1))));
    SensorReading unknown =
        new SensorReading(
            "00000000-0000-4000-8000-000000000000", t, null, Map.of("temperature", 1.0));
    ValidationException missing = invalid(ingest.ingest(alice, List.of(unknown)));
    SensorReading notAnId = new SensorReading("hall", t, null, Map.of("temperature", 1.0));
    ValidationException malformed = invalid(ingest.ingest(alice, List.of(notAnId)));
    assertThat(List.of(foreign, missing, malformed))
        .allSatisfy(
            e -> {
              assertThat(e.field()).isEqualTo("device_id");
              assertThat(e.getMessage()).isEqualTo(foreign.getMessage());
            });
    assertThat(
            invalid(ingest.ingest(alice, List.of(reading(t, null, 1), unknown, reading(t, "x", 2))))
                .field())
        .isEqualTo("readings[1].device_id");
    Actor viewer = new Actor(alice.userId(), "alice", Role.VIEWER, "test", null);
    assertThat(awaitFailure(ingest.ingest(viewer, List.of(reading(t, null, 1)))))
        .isInstanceOf(ForbiddenException.class);
    // An administrator may send for anyone's device.
    assertThat(await(ingest.ingest(Actor.system("test"), List.of(reading(t, null, 1)))).stored())
        .isEqualTo(1);
    assertThat(stored()).hasSize(1);
  }

  @Test
  void storedReadingsArePublishedToTheOwnerOnly() {
    List<Event> seen = new CopyOnWriteArrayList<>();
    events.subscribe(List.of(SensorIngest.TOPIC), seen::add);
    Instant t = now();
    await(ingest.ingest(alice, List.of(reading(t, "m-9", 20.5))));
    await(ingest.ingest(alice, List.of(reading(t, "m-9", 20.5)))); // a duplicate: no event
    await(vertx.timer(1).compose(v -> events.publish("test.flush", new JsonObject())));
    assertThat(seen).hasSize(1);
    Event event = seen.get(0);
    assertThat(event.payload().getString("device_id")).isEqualTo(hall.id());
    assertThat(event.payload().getString("timestamp")).isEqualTo(t.toString());
    assertThat(event.payload().getString("message_id")).isEqualTo("m-9");
    assertThat(event.payload().getDouble("temperature")).isEqualTo(20.5);
    assertThat(event.visibility().visibleTo(alice.userId(), java.util.Set.of())).isTrue();
    assertThat(event.visibility().visibleTo(bob.userId(), java.util.Set.of())).isFalse();
  }

  @Test
  void theWireFormsParseLikeTheSeedsAndNameBadFields() {
    Instant received = Instant.parse("2026-03-01T10:00:00Z");
    SensorReading mqtt =
        SensorReadings.fromJson(
            hall.id(),
            new JsonObject()
                .put("temperature", 21.5)
                .put("humidity", 45)
                .put("pressure", 1013.2)
                .put("ts", 1_772_359_200.5),
            "mqtt-7",
            received);
    assertThat(mqtt.time()).isEqualTo(Instant.parse("2026-03-01T10:00:00.500Z"));
    assertThat(mqtt.messageId()).isEqualTo("mqtt-7");
    assertThat(mqtt.values())
        .containsExactly(
            Map.entry("temperature", 21.5),
            Map.entry("humidity", 45.0),
            Map.entry("pressure", 1013.2));
    SensorReading untimed =
        SensorReadings.fromJson(hall.id(), new JsonObject().put("co2", 600), null, received);
    assertThat(untimed.time()).isEqualTo(received);

    List<SensorReading> batch =
        SensorReadings.fromRequest(
            new JsonObject()
                .put(
                    "readings",
                    new JsonArray()
                        .add(
                            new JsonObject()
                                .put("device_id", hall.id())
                                .put("timestamp", "2026-03-01T11:00:00+01:00")
                                .put("temperature", 20))
                        .add(new JsonObject().put("device_id", hall.id()).put("lux", 300))),
            received);
    assertThat(batch).extracting(SensorReading::time).containsExactly(received, received);

    Throwable text =
        catchThrowable(
            () ->
                SensorReadings.fromRequest(
                    new JsonObject()
                        .put(
                            "readings",
                            new JsonArray()
                                .add(new JsonObject().put("device_id", hall.id()).put("t", 1))
                                .add(
                                    new JsonObject()
                                        .put("device_id", hall.id())
                                        .put("temperature", "warm"))),
                    received));
    assertThat(((ValidationException) text).field()).isEqualTo("readings[1].temperature");
    Throwable badTime =
        catchThrowable(
            () ->
                SensorReadings.fromRequest(
                    new JsonObject().put("device_id", hall.id()).put("ts", "yesterday").put("t", 1),
                    received));
    assertThat(((ValidationException) badTime).field()).isEqualTo("ts");
    Throwable noDevice =
        catchThrowable(
            () -> SensorReadings.fromRequest(new JsonObject().put("temperature", 1), received));
    assertThat(((ValidationException) noDevice).field()).isEqualTo("device_id");
  }

  @Test
  void theCollectorFeedsTheTiersAndTheHistoryReadsThem() {
    DownsamplerOptions metricsOptions = new DownsamplerOptions();
    Downsampler downsampler = Downsampler.create(vertx, storage.metrics(), metricsOptions);
    SensorCollector collector =
        new SensorCollector(
            storage.sensorReadings(),
            downsampler,
            Clock.systemUTC(),
            Duration.ofSeconds(1),
            Duration.ZERO,
            metricsOptions.getLateness());
    Instant t = now().minusSeconds(20);
    await(
        ingest.ingest(
            alice,
            List.of(
                reading(t, null, 20),
                reading(t.plusSeconds(1), null, 22),
                new SensorReading(hall.id(), t.plusSeconds(2), null, Map.of("co2", 600.0)))));
    assertThat(await(collector.collect())).isEmpty(); // it writes its points itself
    // Run again: nothing new, nothing written twice.
    await(collector.collect());

    SensorHistory history = new SensorHistory(storage.devices(), downsampler);
    TimeRange range = TimeRange.between(t.minusSeconds(60), now().plusSeconds(1));
    SensorHistory.Readings all = await(history.readings(alice, hall.id(), range, List.of(), 0));
    assertThat(all.fields()).containsExactly("co2", "humidity", "temperature");
    assertThat(all.tier().isRaw()).isTrue();
    assertThat(all.rows()).hasSize(3);
    assertThat(all.rows().get(0).value("temperature")).isEqualTo(20.0);
    assertThat(all.rows().get(1).value("temperature")).isEqualTo(22.0);
    assertThat(all.rows().get(2).value("co2")).isEqualTo(600.0);

    SensorHistory.Readings one =
        await(history.readings(alice, hall.id(), range, List.of("temperature"), 0));
    assertThat(one.fields()).containsExactly("temperature");
    assertThat(one.rows()).extracting(r -> r.value("temperature")).containsExactly(20.0, 22.0);

    assertThat(invalid(history.readings(bob, hall.id(), range, List.of(), 0)).field())
        .isEqualTo("device_id");
    assertThat(invalid(history.readings(alice, hall.id(), range, List.of("Bad"), 0)).field())
        .isEqualTo("fields");
    assertThat(invalid(history.readings(alice, hall.id(), range, List.of(), 2)).field())
        .isEqualTo("max_points");
    await(downsampler.close());
  }

  @Test
  void theCollectorWritesOnePointAMillisecondAndYieldsToIngestionForItsHoldOff() {
    DownsamplerOptions metricsOptions = new DownsamplerOptions();
    Downsampler downsampler = Downsampler.create(vertx, storage.metrics(), metricsOptions);
    dev.homelab.core.testing.MutableClock clock =
        new dev.homelab.core.testing.MutableClock(Instant.now());
    java.util.concurrent.atomic.AtomicBoolean busy =
        new java.util.concurrent.atomic.AtomicBoolean();
    SensorCollector collector =
        new SensorCollector(
                storage.sensorReadings(),
                downsampler,
                clock,
                Duration.ofSeconds(1),
                Duration.ZERO,
                metricsOptions.getLateness())
            .yieldingTo(busy::get, Duration.ofSeconds(60));
    SensorHistory history = new SensorHistory(storage.devices(), downsampler);
    Instant t = now().minusSeconds(20);
    TimeRange range = TimeRange.between(t.minusSeconds(60), now().plusSeconds(60));
    // Two readings in one millisecond (whole-second timestamps, say): the first one counts.
    await(ingest.ingest(alice, List.of(reading(t, "a", 20), reading(t, "b", 25))));
    busy.set(true);
    clock.set(Instant.now()); // the collector reads what was stored before its now
    await(collector.collect()); // the first run reads whatever ingestion does
    List<dev.homelab.core.metrics.MetricTableResult.Row> rows =
        await(history.readings(alice, hall.id(), range, List.of("temperature"), 0)).rows();
    assertThat(rows).extracting(r -> r.value("temperature")).containsExactly(20.0);

    // While ingestion is busy, runs wait: the reading is stored, not yet in the history.
    await(ingest.ingest(alice, List.of(reading(t.plusSeconds(5), "c", 30))));
    clock.set(Instant.now());
    for (int i = 0; i < 6; i++) {
      clock.advance(Duration.ofSeconds(9));
      await(collector.collect());
      assertThat(await(history.readings(alice, hall.id(), range, List.of("temperature"), 0)).rows())
          .as("yielded at +%d s", 9 * (i + 1))
          .hasSize(1);
    }
    // The hold-off (60 s here) after it was stored, a run goes on, busy or not.
    clock.advance(Duration.ofSeconds(9));
    await(collector.collect());
    assertThat(await(history.readings(alice, hall.id(), range, List.of("temperature"), 0)).rows())
        .extracting(r -> r.value("temperature"))
        .containsExactly(20.0, 30.0);
    await(downsampler.close());
  }
}
