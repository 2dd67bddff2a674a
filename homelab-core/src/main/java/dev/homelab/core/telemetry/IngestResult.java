package dev.homelab.core.telemetry;

import io.vertx.core.json.JsonObject;

/**
 * What became of the readings of one {@link SensorIngest#ingest} call, once committed.
 *
 * @param received how many readings the call carried
 * @param stored how many were stored for the first time
 * @param duplicates how many were already stored (same device, time and message id), or whose
 *     device was deleted while they were being written; none of them was stored again
 */
public record IngestResult(int received, int stored, int duplicates) {

  /**
   * @return the wire form: {@code received}, {@code stored}, {@code duplicates}
   */
  public JsonObject toJson() {
    return new JsonObject()
        .put("received", received)
        .put("stored", stored)
        .put("duplicates", duplicates);
  }
}
