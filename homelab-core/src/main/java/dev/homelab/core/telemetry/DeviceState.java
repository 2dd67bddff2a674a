package dev.homelab.core.telemetry;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Objects;

/**
 * One recorded change of a device: from this time on, until the next change of the same topic and
 * kind, the device was in this state.
 *
 * @param topic the device's MQTT topic, such as {@code zigbee2mqtt/livingroom/window} (for its
 *     availability too: the device's topic, not the {@code /availability} one)
 * @param kind whether this is the device's state or its availability
 * @param time when the change was heard, at millisecond precision
 * @param state the state: the JSON object the device published, or {@code {"state":"online"}} and
 *     {@code {"state":"offline"}} for availability; a copy
 */
public record DeviceState(String topic, DeviceStateKind kind, Instant time, JsonObject state) {

  /** Checks and copies the components. */
  public DeviceState {
    Objects.requireNonNull(topic, "topic");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(time, "time");
    state = Objects.requireNonNull(state, "state").copy();
  }

  /**
   * @return the state, a copy
   */
  @Override
  public JsonObject state() {
    return state.copy();
  }

  /**
   * @return the change as the API sends it: {@code timestamp} (whole seconds, seed 003), {@code
   *     time} (ISO-8601, milliseconds) and {@code state}
   */
  public JsonObject toJson() {
    return new JsonObject()
        .put("timestamp", time.getEpochSecond())
        .put("time", time.toString())
        .put("state", state.copy());
  }
}
