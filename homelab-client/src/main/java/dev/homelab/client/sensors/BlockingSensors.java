package dev.homelab.client.sensors;

import dev.homelab.client.internal.Waiter;
import java.util.List;

/**
 * {@link SensorsApi}, waiting for each answer; see {@link
 * dev.homelab.client.BlockingHomelabClient}.
 */
public final class BlockingSensors {

  private final SensorsApi sensors;
  private final Waiter waiter;

  /**
   * @param sensors the asynchronous API
   * @param timeoutMs how long to wait for an answer
   */
  public BlockingSensors(SensorsApi sensors, long timeoutMs) {
    this.sensors = sensors;
    this.waiter = new Waiter(timeoutMs);
  }

  /**
   * @param reading the reading
   * @return as {@link SensorsApi#ingest(SensorReading)}
   */
  public IngestResult ingest(SensorReading reading) {
    return waiter.await(sensors.ingest(reading));
  }

  /**
   * @param readings the readings
   * @return as {@link SensorsApi#ingest(List)}
   */
  public IngestResult ingest(List<SensorReading> readings) {
    return waiter.await(sensors.ingest(readings));
  }

  /**
   * @param query what to read
   * @return as {@link SensorsApi#readings(SensorQuery)}
   */
  public SensorHistory readings(SensorQuery query) {
    return waiter.await(sensors.readings(query));
  }
}
