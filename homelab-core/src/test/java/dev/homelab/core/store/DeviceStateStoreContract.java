package dev.homelab.core.store;

import static dev.homelab.core.testing.VertxTesting.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.homelab.core.telemetry.DeviceState;
import dev.homelab.core.telemetry.DeviceStateKind;
import dev.homelab.core.telemetry.DeviceStateRepository;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The device state history's part of the storage contract ({@link StorageCompatibilityKit}
 * implements it, so every adapter runs it): {@link DeviceStateRepository} over a fresh database.
 */
public interface DeviceStateStoreContract {

  /**
   * @return the open store of the current test
   */
  Storage contractStorage();

  private DeviceStateRepository states() {
    return contractStorage().deviceStates();
  }

  private static DeviceState state(String topic, long time, JsonObject state) {
    return new DeviceState(topic, DeviceStateKind.STATE, Instant.ofEpochMilli(time), state);
  }

  private static DeviceState availability(String topic, long time, String online) {
    return new DeviceState(
        topic,
        DeviceStateKind.AVAILABILITY,
        Instant.ofEpochMilli(time),
        new JsonObject().put("state", online));
  }

  @Test
  default void deviceStatesAreReadBackByTopicAndKindOldestFirst() {
    String window = "zigbee2mqtt/livingroom/window";
    JsonObject closed =
        new JsonObject(
            "{\"battery\":100,\"contact\":true,\"last_seen\":\"2022-05-16T20:50:02+08:00\","
                + "\"linkquality\":152,\"voltage\":3045,\"color\":{\"x\":0.5056,\"y\":0.4152}}");
    JsonObject open = closed.copy().put("contact", false);
    assertThat(await(states().latest(window, DeviceStateKind.STATE))).isNull();
    assertThat(
            await(
                states()
                    .append(
                        List.of(
                            state(window, 1_000, closed),
                            availability(window, 1_500, "online"),
                            state(window, 2_000, open),
                            state(
                                "zigbee2mqtt/hue_back_tv",
                                2_500,
                                new JsonObject().put("state", "ON")),
                            state(window, 3_000, closed)))))
        .isEqualTo(5);

    List<DeviceState> read = await(states().read(window, DeviceStateKind.STATE, 0, 10_000, 100));
    assertThat(read)
        .extracting(s -> s.time().toEpochMilli())
        .containsExactly(1_000L, 2_000L, 3_000L);
    assertThat(read.get(0).state()).isEqualTo(closed);
    assertThat(read.get(1).state()).isEqualTo(open);
    assertThat(read.get(0).topic()).isEqualTo(window);
    assertThat(read.get(0).kind()).isEqualTo(DeviceStateKind.STATE);
    // The range is [from, to).
    assertThat(await(states().read(window, DeviceStateKind.STATE, 1_000, 3_000, 100)))
        .extracting(s -> s.time().toEpochMilli())
        .containsExactly(1_000L, 2_000L);
    // A limit keeps the newest of the range, still oldest first.
    assertThat(await(states().read(window, DeviceStateKind.STATE, 0, 10_000, 2)))
        .extracting(s -> s.time().toEpochMilli())
        .containsExactly(2_000L, 3_000L);
    assertThat(await(states().read(window, DeviceStateKind.AVAILABILITY, 0, 10_000, 100)))
        .extracting(s -> s.state().getString("state"))
        .containsExactly("online");
    assertThat(await(states().latest(window, DeviceStateKind.STATE)).time().toEpochMilli())
        .isEqualTo(3_000L);
    assertThat(await(states().latest(window, DeviceStateKind.AVAILABILITY)).state())
        .isEqualTo(new JsonObject().put("state", "online"));
    assertThat(await(states().latest("zigbee2mqtt/livingroom", DeviceStateKind.STATE))).isNull();
  }

  @Test
  default void changesOfOneMillisecondKeepTheirOrderAndAnyTopicIsStored() {
    String topic = "zigbee2mqtt/Temperatur Balkon/ünïcode 🙂";
    await(
        states()
            .append(
                List.of(
                    state(topic, 5_000, new JsonObject().put("n", 1)),
                    state(topic, 5_000, new JsonObject().put("n", 2)))));
    assertThat(await(states().latest(topic, DeviceStateKind.STATE)).state().getInteger("n"))
        .isEqualTo(2);
    assertThat(await(states().read(topic, DeviceStateKind.STATE, 0, 10_000, 10)))
        .extracting(s -> s.state().getInteger("n"))
        .containsExactly(1, 2);
  }

  @Test
  default void retentionKeepsTheNewestChangeOfEachTopicAndKind() {
    String a = "zigbee2mqtt/a";
    String b = "zigbee2mqtt/b";
    await(
        states()
            .append(
                List.of(
                    state(a, 1_000, new JsonObject().put("n", 1)),
                    state(a, 2_000, new JsonObject().put("n", 2)),
                    availability(a, 2_500, "online"),
                    state(a, 3_000, new JsonObject().put("n", 3)),
                    availability(a, 3_500, "offline"),
                    state(b, 1_000, new JsonObject().put("n", 1)),
                    state(a, 9_000, new JsonObject().put("n", 9)))));
    // In bounded batches: the oldest first.
    assertThat(await(states().purge(5_000, 2))).isEqualTo(2);
    assertThat(await(states().purge(5_000, 100))).isEqualTo(2);
    assertThat(await(states().purge(5_000, 100))).isZero();
    assertThat(await(states().read(a, DeviceStateKind.STATE, 0, 10_000, 100)))
        .extracting(s -> s.state().getInteger("n"))
        .containsExactly(9);
    assertThat(await(states().read(a, DeviceStateKind.AVAILABILITY, 0, 10_000, 100)))
        .extracting(s -> s.state().getString("state"))
        .containsExactly("offline");
    // b's only change is older than the cut-off, and stays: it is b's current state.
    assertThat(await(states().read(b, DeviceStateKind.STATE, 0, 10_000, 100))).hasSize(1);
  }
}
