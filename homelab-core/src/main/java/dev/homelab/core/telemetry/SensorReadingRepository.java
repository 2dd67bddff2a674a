package dev.homelab.core.telemetry;

import io.vertx.core.Future;
import java.time.Instant;
import java.util.List;

/**
 * The sensor readings: each reading kept once per device, time and message id, append-only (a
 * device's readings go when the device does).
 */
public interface SensorReadingRepository {

  /**
   * Stores readings in one transaction, leaving out any that is already stored (same device, time
   * and message id; a reading without message id matches another without one at the same time) and
   * any whose device does not exist (any more). Either every new reading is durable when the future
   * succeeds, or none is.
   *
   * @param readings the readings, at most a few thousand; their devices exist
   * @param storedAt the time of the commit, kept with each row for the cursor of {@link #after}
   * @return the readings stored by this call, in the given order
   */
  Future<List<SensorReading>> append(List<SensorReading> readings, Instant storedAt);

  /**
   * Reads committed readings in position order, after a cursor.
   *
   * @param position the cursor: only readings after this position
   * @param storedBefore only readings stored before this time: a writer's transaction that took a
   *     position a moment ago may commit after a later one, and a reader must not step over it
   * @param limit at most this many
   * @return the readings, in position order
   */
  Future<List<StoredReading>> after(long position, Instant storedBefore, int limit);

  /**
   * @param storedAt a time
   * @return a cursor for {@link #after} from which every reading stored at or after that time
   *     follows (the last position before them), or the last position if none was
   */
  Future<Long> positionBefore(Instant storedAt);
}
