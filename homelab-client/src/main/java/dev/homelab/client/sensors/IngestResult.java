package dev.homelab.client.sensors;

import io.vertx.core.json.JsonObject;

/**
 * What became of the readings of one request, once committed on the server.
 *
 * @param received readings in the request
 * @param stored readings stored for the first time
 * @param duplicates readings already stored (same device, time and message id), not stored again
 */
public record IngestResult(int received, int stored, int duplicates) {

  /**
   * @param json the server's answer
   * @return the record
   */
  public static IngestResult fromJson(JsonObject json) {
    return new IngestResult(
        json.getInteger("received"), json.getInteger("stored"), json.getInteger("duplicates"));
  }

  /**
   * @return the wire form
   */
  public JsonObject toJson() {
    return new JsonObject()
        .put("received", received)
        .put("stored", stored)
        .put("duplicates", duplicates);
  }
}
