package dev.homelab.core.services;

import static dev.homelab.core.telemetry.Zigbee2MqttTest.fixture;
import static dev.homelab.core.testing.VertxTesting.await;
import static dev.homelab.core.testing.VertxTesting.awaitFailure;
import static org.assertj.core.api.Assertions.assertThat;

import dev.homelab.core.NotFoundException;
import dev.homelab.core.ValidationException;
import dev.homelab.core.metrics.Downsampler;
import dev.homelab.core.metrics.MetricQuery;
import dev.homelab.core.metrics.MetricRepository;
import dev.homelab.core.metrics.TimeRange;
import dev.homelab.core.mqtt.MqttMessage;
import dev.homelab.core.store.Storage;
import dev.homelab.core.store.StorageOptions;
import dev.homelab.core.telemetry.DeviceHistory;
import dev.homelab.core.telemetry.DeviceState;
import dev.homelab.core.telemetry.DeviceStateHistory;
import dev.homelab.core.telemetry.DeviceStateKind;
import dev.homelab.core.telemetry.DeviceStateOptions;
import dev.homelab.core.telemetry.DeviceStateRecorder;
import dev.homelab.core.telemetry.DeviceStateSeries;
import dev.homelab.core.testing.VertxTesting;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The recorder fed messages as the bridge hands them over (the fixtures' payloads), over a real
 * SQLite store and an in-memory downsampler; the history read back through {@link
 * DeviceStateHistory}. It lives beside the other tests over a real store, outside the telemetry
 * package, which never uses the store itself.
 */
class DeviceStateRecorderTest {

  private static final String WINDOW = "zigbee2mqtt/livingroom/window";

  @TempDir Path dir;
  Vertx vertx;
  Storage storage;
  Downsampler downsampler;
  DeviceStateRecorder recorder;
  DeviceStateHistory history;
  long clock = System.currentTimeMillis() - 60_000;

  @BeforeEach
  void open() {
    vertx = VertxTesting.vertx();
    storage =
        await(
            Storage.open(
                vertx, new StorageOptions().setSqlitePath(dir.resolve("lab.db").toString())));
    downsampler = Downsampler.create(vertx, MetricRepository.inMemory());
    recorder = newRecorder();
    history = new DeviceStateHistory(storage.deviceStates(), downsampler, recorder);
  }

  private DeviceStateRecorder newRecorder() {
    return new DeviceStateRecorder(
        vertx,
        storage.deviceStates(),
        downsampler,
        DeviceStateOptions.defaults(),
        Clock.systemUTC());
  }

  @AfterEach
  void close() {
    await(downsampler.close());
    await(storage.close());
    await(vertx.close());
  }

  private MqttMessage message(String topic, String payload, boolean retained) {
    clock += 1_000;
    return new MqttMessage(topic, Buffer.buffer(payload), 0, retained, Instant.ofEpochMilli(clock));
  }

  private List<DeviceState> states(String topic, DeviceStateKind kind) {
    return await(storage.deviceStates().read(topic, kind, 0, Long.MAX_VALUE, 1_000));
  }

  private DeviceHistory read(String topic) {
    return await(
        history.device(topic, TimeRange.between(Instant.EPOCH, Instant.now().plusSeconds(1)), 0));
  }

  @Test
  void onlyChangesOfDeviceStatesAndAvailabilitiesAreRecorded() {
    recorder.startRecording(List.of());
    JsonObject window =
        new JsonArray(fixture("device-states-topic-payload.json"))
            .getJsonObject(3)
            .getJsonObject("payload");
    recorder.accept(message(WINDOW, window.encode(), false));
    // The same state again, only last_seen moved on: no change.
    recorder.accept(
        message(
            WINDOW, window.copy().put("last_seen", "2022-05-16T21:00:00+08:00").encode(), false));
    recorder.accept(message(WINDOW, window.copy().put("contact", false).encode(), false));
    recorder.accept(message(WINDOW + "/availability", "{\"state\":\"online\"}", false));
    recorder.accept(message(WINDOW + "/availability", "online", false)); // legacy form, same
    recorder.accept(message(WINDOW + "/availability", "offline", false));
    // Commands, the bridge, payloads that are no state, and other topics are not device states.
    recorder.accept(message(WINDOW + "/set", "{\"state\":\"ON\"}", false));
    recorder.accept(message(WINDOW + "/get", "{\"state\":\"\"}", false));
    recorder.accept(message("zigbee2mqtt/bridge/state", fixture("bridge-state.json"), true));
    recorder.accept(
        message("zigbee2mqtt/bridge/devices", fixture("bridge-devices-two-entries.json"), true));
    recorder.accept(message("zigbee2mqtt/plain", "42", false));
    recorder.accept(message("zigbee2mqtt/hue1/availability", "{\"state\":\"dozing\"}", false));
    recorder.accept(message("homelab/sensors/s1", "{\"temperature\":20}", false));
    await(recorder.flush());

    List<DeviceState> states = states(WINDOW, DeviceStateKind.STATE);
    assertThat(states)
        .extracting(s -> s.state().getBoolean("contact"))
        .containsExactly(true, false);
    assertThat(states.get(0).state()).isEqualTo(window);
    assertThat(states(WINDOW, DeviceStateKind.AVAILABILITY))
        .extracting(s -> s.state().getString("state"))
        .containsExactly("online", "offline");
    assertThat(states(WINDOW + "/set", DeviceStateKind.STATE)).isEmpty();
    assertThat(states("zigbee2mqtt/bridge/state", DeviceStateKind.STATE)).isEmpty();
    assertThat(states("zigbee2mqtt/bridge/devices", DeviceStateKind.STATE)).isEmpty();
    assertThat(states("zigbee2mqtt/plain", DeviceStateKind.STATE)).isEmpty();
    assertThat(states("zigbee2mqtt/hue1", DeviceStateKind.AVAILABILITY)).isEmpty();
    assertThat(recorder.recordedCount()).isEqualTo(4);
    assertThat(recorder.bridgeState("zigbee2mqtt")).contains("online");
    assertThat(recorder.device(WINDOW).orElseThrow().model()).isEqualTo("MCCGQ01LM");

    // The history: the changes, the numeric series, and what the bridge says of the device.
    DeviceHistory answer = read(WINDOW);
    assertThat(answer.states()).hasSize(2);
    assertThat(answer.availability()).hasSize(2);
    assertThat(answer.truncated()).isFalse();
    assertThat(answer.device().friendlyName()).isEqualTo("livingroom/window");
    assertThat(answer.series().table().columns())
        .extracting(c -> c.name())
        .containsExactly("available", "battery", "contact", "linkquality", "voltage");
    assertThat(
            await(
                    downsampler.query(
                        MetricQuery.range(
                                DeviceStateSeries.series("contact", WINDOW),
                                Instant.EPOCH,
                                Instant.now().plusSeconds(1))
                            .onTier("raw")))
                .buckets())
        .extracting(b -> b.last())
        .containsExactly(1.0, 0.0);
    // A limit keeps the newest changes and says so.
    recorder.accept(message(WINDOW, window.copy().put("battery", 99).encode(), false));
    recorder.accept(message(WINDOW, window.copy().put("battery", 98).encode(), false));
    await(recorder.flush());
    DeviceHistory limited =
        await(
            history.device(
                WINDOW, TimeRange.between(Instant.EPOCH, Instant.now().plusSeconds(1)), 3));
    assertThat(limited.states())
        .extracting(s -> s.state().getInteger("battery"))
        .containsExactly(100, 99, 98);
    assertThat(limited.truncated()).isTrue();
  }

  @Test
  void retainedReplaysAndRestartsRecordNothingNew() {
    recorder.startRecording(List.of());
    recorder.accept(message(WINDOW + "/availability", "{\"state\":\"online\"}", true));
    recorder.accept(message(WINDOW, "{\"contact\":true}", true));
    recorder.accept(message(WINDOW, "{\"contact\":false}", false));
    // A reconnection: the broker sends the retained (and stale) state again.
    recorder.accept(message(WINDOW + "/availability", "{\"state\":\"online\"}", true));
    recorder.accept(message(WINDOW, "{\"contact\":true}", true));
    await(recorder.flush());
    assertThat(states(WINDOW, DeviceStateKind.STATE))
        .extracting(s -> s.state().getBoolean("contact"))
        .containsExactly(true, false);
    assertThat(states(WINDOW + "", DeviceStateKind.AVAILABILITY)).hasSize(1);

    // A restart: a new recorder compares with what the store holds.
    recorder.stopRecording();
    DeviceStateRecorder restarted = newRecorder();
    restarted.startRecording(List.of());
    restarted.accept(message(WINDOW, "{\"contact\":false}", false));
    restarted.accept(message(WINDOW + "/availability", "online", true));
    restarted.accept(message(WINDOW + "/availability", "offline", true));
    await(restarted.flush());
    assertThat(states(WINDOW, DeviceStateKind.STATE)).hasSize(2);
    assertThat(states(WINDOW, DeviceStateKind.AVAILABILITY))
        .extracting(s -> s.state().getString("state"))
        .containsExactly("online", "offline");
  }

  @Test
  void onlyWhileRecordingAndFromWhatWasHeardMeanwhile() {
    // A follower hears messages without recording them.
    MqttMessage heard = message(WINDOW, "{\"contact\":true}", false);
    recorder.accept(heard);
    recorder.accept(message("zigbee2mqtt/hue1", "{\"state\":\"ON\"}", false));
    await(recorder.flush());
    assertThat(states(WINDOW, DeviceStateKind.STATE)).isEmpty();
    assertThat(recorder.isRecording()).isFalse();
    assertThat(
            awaitFailure(
                history.device(WINDOW, TimeRange.between(Instant.EPOCH, Instant.now()), 0)))
        .isInstanceOf(NotFoundException.class);

    // It starts leading: the newest message of each topic it heard is the starting point.
    recorder.startRecording(List.of(heard, message(WINDOW + "/set", "{\"state\":\"ON\"}", false)));
    await(recorder.flush());
    assertThat(states(WINDOW, DeviceStateKind.STATE)).hasSize(1);
    assertThat(states("zigbee2mqtt/hue1", DeviceStateKind.STATE)).isEmpty();
    // Starting again from the same messages records nothing twice.
    recorder.stopRecording();
    recorder.startRecording(List.of(heard));
    await(recorder.flush());
    assertThat(states(WINDOW, DeviceStateKind.STATE)).hasSize(1);
    assertThat(read(WINDOW).states()).hasSize(1);

    recorder.stopRecording();
    recorder.accept(message(WINDOW, "{\"contact\":false}", false));
    await(recorder.flush());
    assertThat(states(WINDOW, DeviceStateKind.STATE)).hasSize(1);
  }

  @Test
  void badTopicsAreRefusedAndRetentionKeepsTheCurrentState() {
    assertThat(
            awaitFailure(
                history.device(
                    "zigbee2mqtt/+", TimeRange.between(Instant.EPOCH, Instant.now()), 0)))
        .isInstanceOf(ValidationException.class)
        .extracting(e -> ((ValidationException) e).field())
        .isEqualTo("topic");
    recorder.startRecording(List.of());
    recorder.accept(message(WINDOW, "{\"contact\":true}", false));
    recorder.accept(message(WINDOW, "{\"contact\":false}", false));
    await(recorder.flush());
    DeviceStateRecorder strict =
        new DeviceStateRecorder(
            vertx,
            storage.deviceStates(),
            null,
            DeviceStateOptions.defaults().withRetention(Duration.ofMillis(1)),
            Clock.systemUTC());
    assertThat(await(strict.enforceRetention())).isEqualTo(1L);
    assertThat(states(WINDOW, DeviceStateKind.STATE))
        .extracting(s -> s.state().getBoolean("contact"))
        .containsExactly(false);
  }
}
