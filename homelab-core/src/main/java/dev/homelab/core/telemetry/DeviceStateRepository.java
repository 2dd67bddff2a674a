package dev.homelab.core.telemetry;

import io.vertx.core.Future;
import java.util.List;

/**
 * Where the {@link DeviceState} history is kept ({@code Storage.deviceStates()}): appended by the
 * {@link DeviceStateRecorder}, read by {@link DeviceStateHistory}, trimmed by retention.
 */
public interface DeviceStateRepository {

  /**
   * Appends changes, in one transaction, in the order given.
   *
   * @param states the changes
   * @return how many were stored
   */
  Future<Integer> append(List<DeviceState> states);

  /**
   * @param topic a device's topic
   * @param kind the kind of change
   * @return the newest change of that topic and kind, or {@code null} if none was ever recorded (or
   *     retention deleted all)
   */
  Future<DeviceState> latest(String topic, DeviceStateKind kind);

  /**
   * Reads a device's changes in a range.
   *
   * @param topic a device's topic
   * @param kind the kind of change
   * @param from the start, inclusive, in milliseconds since the epoch
   * @param to the end, exclusive
   * @param limit at most this many, the newest of the range; at least 1
   * @return the changes, oldest first
   */
  Future<List<DeviceState>> read(String topic, DeviceStateKind kind, long from, long to, int limit);

  /**
   * Deletes a bounded batch of changes older than a time, except the newest change of each topic
   * and kind: a device that has not changed for longer than the retention keeps its current state.
   *
   * @param before delete changes older than this, in milliseconds since the epoch
   * @param limit at most this many rows
   * @return how many were deleted
   */
  Future<Integer> purge(long before, int limit);
}
