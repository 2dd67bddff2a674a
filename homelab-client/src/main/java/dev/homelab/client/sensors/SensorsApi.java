package dev.homelab.client.sensors;

import io.vertx.core.Future;
import java.util.List;

/** Sensor readings: sending them and reading a device's history. */
public interface SensorsApi {

  /**
   * Sends one reading ({@code POST /api/sensors/ingest}). The answer comes once it is committed on
   * the server: a success means durable. With a message id, sending it again is harmless.
   *
   * @param reading the reading
   * @return how many were stored and how many were duplicates; fails with a {@link
   *     dev.homelab.client.HomelabValidationException} naming the field (an unknown or foreign
   *     device is {@code device_id}), or {@link dev.homelab.client.HomelabRateLimitedException}
   *     ({@code INGEST_BUSY}) when the server has too many readings waiting
   */
  Future<IngestResult> ingest(SensorReading reading);

  /**
   * Sends a batch of 1 to 1000 readings in one request, committed together.
   *
   * @param readings the readings
   * @return as {@link #ingest(SensorReading)}; a refused field is named {@code readings[i].<field>}
   */
  Future<IngestResult> ingest(List<SensorReading> readings);

  /**
   * Reads a device's history from the server's metric tiers ({@code GET /api/sensors/readings}).
   *
   * @param query the device, the range, the fields and the point limit
   * @return the rows
   */
  Future<SensorHistory> readings(SensorQuery query);
}
