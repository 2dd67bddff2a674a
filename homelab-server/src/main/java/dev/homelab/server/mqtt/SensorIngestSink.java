package dev.homelab.server.mqtt;

import dev.homelab.core.ValidationException;
import dev.homelab.core.identity.Actor;
import dev.homelab.core.telemetry.SensorIngest;
import dev.homelab.core.telemetry.SensorReadings;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Objects;

/**
 * The gateway's telemetry, {@code homelab/sensors/<device id>} {@code {temperature, humidity,
 * pressure, ts, message_id?, ...}}, into {@link SensorIngest}: one reading per message, the device
 * the topic names (a {@code device_id} in the payload must be that one), answered once committed,
 * so the PUBACK means stored.
 *
 * <p>Duplicates: a reading is kept once per device, {@code ts} and {@code message_id}. A sensor
 * that sends its own {@code ts} (and, better, a {@code message_id}) is stored exactly once however
 * often it sends a message again after a lost PUBACK; without {@code ts} the time of receipt is
 * used, and a message sent again is a new reading.
 */
public final class SensorIngestSink implements SensorSink {

  private final SensorIngest ingest;

  /**
   * @param ingest the ingestion service
   */
  public SensorIngestSink(SensorIngest ingest) {
    this.ingest = Objects.requireNonNull(ingest, "ingest");
  }

  @Override
  public Future<Void> ingest(Actor actor, String deviceId, Buffer payload) {
    JsonObject reading;
    try {
      reading = payload.toJsonObject();
    } catch (DecodeException | ClassCastException e) {
      return Future.failedFuture(
          new ValidationException(
              "payload", "a reading is a JSON object such as {\"temperature\":21.5}"));
    }
    Object named = reading.getValue("device_id");
    if (named != null && !deviceId.equals(named)) {
      return Future.failedFuture(
          new ValidationException("device_id", "a device publishes its own readings only"));
    }
    try {
      return ingest
          .ingest(actor, List.of(SensorReadings.fromJson(deviceId, reading, null)))
          .mapEmpty();
    } catch (ValidationException e) {
      return Future.failedFuture(e);
    }
  }
}
