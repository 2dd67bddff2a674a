package dev.homelab.core.telemetry;

import dev.homelab.core.NotFoundException;
import dev.homelab.core.ValidationException;
import dev.homelab.core.metrics.Downsampler;
import dev.homelab.core.metrics.MetricTable;
import dev.homelab.core.metrics.MetricTableQuery;
import dev.homelab.core.metrics.MetricTableResult;
import dev.homelab.core.metrics.TimeRange;
import dev.homelab.core.mqtt.MqttTopics;
import io.vertx.core.Future;
import java.util.List;
import java.util.Objects;

/**
 * Reads the recorded history of a device (seed 003's {@code /api/metrics/device/{topic}}): its
 * state changes and availability changes from the {@link DeviceStateRepository}, and its numeric
 * fields from the metric tiers ({@link DeviceStateSeries}). Reads only the store, so any instance
 * answers, leader or not. Thread-safe.
 */
public final class DeviceStateHistory {

  /** The most changes of each kind one answer holds when the caller sets no limit: {@value}. */
  public static final int DEFAULT_LIMIT = 1_000;

  /** The error code of a topic that was never recorded: {@value}. */
  public static final String NOT_FOUND = "DEVICE_NOT_FOUND";

  private final DeviceStateRepository repository;
  private final Downsampler downsampler;
  private final DeviceStateRecorder recorder;

  /**
   * @param repository where the recorder writes
   * @param downsampler where the numeric series are, or {@code null} for none
   * @param recorder what the bridge said of the devices ({@link DeviceStateRecorder#device}), or
   *     {@code null}
   */
  public DeviceStateHistory(
      DeviceStateRepository repository, Downsampler downsampler, DeviceStateRecorder recorder) {
    this.repository = Objects.requireNonNull(repository, "repository");
    this.downsampler = downsampler;
    this.recorder = recorder;
  }

  /**
   * @param topic the device's topic, such as {@code zigbee2mqtt/livingroom/window}
   * @param range the range to read
   * @param maxPoints at most this many changes of each kind (the newest) and rows of the series
   *     (LTTB); 0 for {@value #DEFAULT_LIMIT} changes and every row
   * @return the history; failed with {@link NotFoundException} ({@value #NOT_FOUND}) if nothing was
   *     ever recorded of the topic, {@link ValidationException} (field {@code topic} or {@code
   *     max_points}) for an invalid one
   */
  public Future<DeviceHistory> device(String topic, TimeRange range, int maxPoints) {
    try {
      MqttTopics.requireTopicName(topic);
      Objects.requireNonNull(range, "range");
      if (maxPoints < 0) {
        throw new ValidationException("max_points", "must not be negative");
      }
    } catch (ValidationException e) {
      return Future.failedFuture(e);
    }
    int limit = maxPoints == 0 ? DEFAULT_LIMIT : maxPoints;
    Future<DeviceState> state = repository.latest(topic, DeviceStateKind.STATE);
    Future<DeviceState> availability = repository.latest(topic, DeviceStateKind.AVAILABILITY);
    return Future.all(state, availability)
        .compose(
            known -> {
              if (state.result() == null && availability.result() == null) {
                return Future.failedFuture(
                    new NotFoundException(NOT_FOUND, "no state of " + topic + " was recorded"));
              }
              Future<List<DeviceState>> states =
                  repository.read(
                      topic, DeviceStateKind.STATE, range.from(), range.to(), limit + 1);
              Future<List<DeviceState>> available =
                  repository.read(
                      topic, DeviceStateKind.AVAILABILITY, range.from(), range.to(), limit + 1);
              Future<MetricTableResult> series = series(topic, range, maxPoints);
              return Future.all(states, available, series)
                  .map(
                      all ->
                          new DeviceHistory(
                              topic,
                              range,
                              newest(states.result(), limit),
                              newest(available.result(), limit),
                              states.result().size() > limit || available.result().size() > limit,
                              series.result(),
                              recorder == null ? null : recorder.device(topic).orElse(null)));
            });
  }

  private static List<DeviceState> newest(List<DeviceState> changes, int limit) {
    return changes.size() <= limit
        ? changes
        : changes.subList(changes.size() - limit, changes.size());
  }

  private Future<MetricTableResult> series(String topic, TimeRange range, int maxPoints) {
    if (downsampler == null) {
      return Future.succeededFuture();
    }
    return downsampler
        .series()
        .compose(
            all -> {
              MetricTable table = DeviceStateSeries.table(topic, all);
              return table == null
                  ? Future.succeededFuture()
                  : downsampler.query(MetricTableQuery.of(table, range).withMaxPoints(maxPoints));
            });
  }
}
