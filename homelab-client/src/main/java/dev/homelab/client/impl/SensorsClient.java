package dev.homelab.client.impl;

import dev.homelab.client.sensors.IngestResult;
import dev.homelab.client.sensors.SensorHistory;
import dev.homelab.client.sensors.SensorQuery;
import dev.homelab.client.sensors.SensorReading;
import dev.homelab.client.sensors.SensorsApi;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;

/** {@link SensorsApi} over the transport. */
final class SensorsClient implements SensorsApi {

  private final Transport transport;

  SensorsClient(Transport transport) {
    this.transport = transport;
  }

  @Override
  public Future<IngestResult> ingest(SensorReading reading) {
    return send(reading.toJson());
  }

  @Override
  public Future<IngestResult> ingest(List<SensorReading> readings) {
    JsonArray batch = new JsonArray();
    readings.forEach(r -> batch.add(r.toJson()));
    return send(new JsonObject().put("readings", batch));
  }

  /** 201 when something new was stored, 200 when every reading was a duplicate. */
  private Future<IngestResult> send(JsonObject body) {
    return transport
        .send(
            transport.credential(),
            HttpMethod.POST,
            "/api/sensors/ingest",
            Map.of(),
            body,
            201,
            200)
        .map(response -> IngestResult.fromJson(response.bodyAsJsonObject()));
  }

  @Override
  public Future<SensorHistory> readings(SensorQuery query) {
    return transport.get("/api/sensors/readings", query.toQueryParams(), SensorHistory::fromJson);
  }
}
