package dev.homelab.core.telemetry;

/**
 * A committed reading with its position in the store: positions grow in commit order (see {@link
 * SensorReadingRepository#after}), which is what a cursor over the readings follows.
 *
 * @param position the reading's position, greater than every earlier one's
 * @param reading the reading
 */
public record StoredReading(long position, SensorReading reading) {}
