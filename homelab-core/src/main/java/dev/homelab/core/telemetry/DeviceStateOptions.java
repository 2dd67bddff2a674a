package dev.homelab.core.telemetry;

import dev.homelab.core.ValidationException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How a {@link DeviceStateRecorder} records.
 *
 * @param baseTopics zigbee2mqtt's base topics whose devices are recorded, such as {@code
 *     zigbee2mqtt}; at least one
 * @param retention how long changes are kept (the newest of each device always stays)
 * @param maxPending how many heard messages may wait for the store before the oldest is dropped
 */
public record DeviceStateOptions(List<String> baseTopics, Duration retention, int maxPending) {

  /** The default retention: 30 days, the longest period of the metrics API. */
  public static final Duration DEFAULT_RETENTION = Duration.ofDays(30);

  /** The default bound of the messages waiting for the store: {@value}. */
  public static final int DEFAULT_MAX_PENDING = 10_000;

  /**
   * Checks and copies the components.
   *
   * @throws ValidationException if a base topic is invalid, there is none, the retention is not
   *     positive or {@code maxPending} is below 1
   */
  public DeviceStateOptions {
    Objects.requireNonNull(baseTopics, "baseTopics");
    if (baseTopics.isEmpty()) {
      throw new ValidationException("base_topic", "name at least one base topic");
    }
    baseTopics.forEach(Zigbee2Mqtt::requireBaseTopic);
    baseTopics = List.copyOf(baseTopics);
    if (retention == null || retention.isNegative() || retention.isZero()) {
      throw new ValidationException("retention", "must be positive");
    }
    if (maxPending < 1) {
      throw new ValidationException("max_pending", "must be at least 1");
    }
  }

  /**
   * @return zigbee2mqtt's default base topic, a 30-day retention and the default bound
   */
  public static DeviceStateOptions defaults() {
    return new DeviceStateOptions(
        List.of(Zigbee2Mqtt.DEFAULT_BASE_TOPIC), DEFAULT_RETENTION, DEFAULT_MAX_PENDING);
  }

  /**
   * @param topics other base topics
   * @return these options with those base topics
   */
  public DeviceStateOptions withBaseTopics(List<String> topics) {
    return new DeviceStateOptions(topics, retention, maxPending);
  }

  /**
   * @param keep another retention
   * @return these options with that retention
   */
  public DeviceStateOptions withRetention(Duration keep) {
    return new DeviceStateOptions(baseTopics, keep, maxPending);
  }
}
