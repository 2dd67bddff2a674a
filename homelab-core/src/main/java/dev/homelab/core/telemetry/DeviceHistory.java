package dev.homelab.core.telemetry;

import dev.homelab.core.metrics.MetricTableResult;
import dev.homelab.core.metrics.TimeRange;
import java.util.List;

/**
 * A device's history over a range, as {@link DeviceStateHistory#device} reads it.
 *
 * @param topic the device's topic
 * @param range the range read
 * @param states the state changes in the range, oldest first (the newest ones when there were more
 *     than asked for); unmodifiable
 * @param availability the availability changes in the range, oldest first, likewise
 * @param truncated whether older changes of the range were left out
 * @param series the numeric fields' history, one row per bucket, or {@code null} when the device
 *     has no numeric series
 * @param device what zigbee2mqtt's {@code bridge/devices} says of the device, or {@code null}
 */
public record DeviceHistory(
    String topic,
    TimeRange range,
    List<DeviceState> states,
    List<DeviceState> availability,
    boolean truncated,
    MetricTableResult series,
    Zigbee2MqttDevice device) {

  /** Copies the lists. */
  public DeviceHistory {
    states = List.copyOf(states);
    availability = List.copyOf(availability);
  }
}
