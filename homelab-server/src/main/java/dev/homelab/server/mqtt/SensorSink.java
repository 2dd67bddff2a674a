package dev.homelab.server.mqtt;

import dev.homelab.core.identity.Actor;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;

/**
 * Where the gateway hands a device's telemetry, published on {@code homelab/sensors/<device id>}.
 * Until one is set ({@link MqttGateway#sensors}), such publishes are refused like any topic that is
 * not the device's: the gateway acknowledges nothing it has not stored.
 */
@FunctionalInterface
public interface SensorSink {

  /**
   * @param actor the device's owner, acting through the device (with no more than a viewer's role)
   * @param deviceId the device that published, proven by its token
   * @param payload the message as published
   * @return completes once the readings are committed, when the gateway sends the PUBACK; failed
   *     with a {@link dev.homelab.core.ValidationException} for readings that can never be stored
   *     (acknowledged as refused, see {@link MqttGateway}), or any other failure (not acknowledged:
   *     the connection is closed so the device sends again)
   */
  Future<Void> ingest(Actor actor, String deviceId, Buffer payload);
}
