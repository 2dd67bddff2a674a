package dev.homelab.client.ai;

import io.vertx.core.json.JsonObject;

/**
 * One event of a chat, as the hub sent it: seed 003's {@code message} events (system init,
 * assistant text and tool use, tool results, the result) and the closing {@code done} with the
 * {@code process_id}.
 *
 * @param id its {@code id:} field, or {@code null} if it had none
 * @param type its {@code event:} field, {@code message} when absent
 * @param data its {@code data:} field, unmodified
 */
public record ChatEvent(String id, String type, String data) {

  /**
   * @return the data as a JSON object
   * @throws io.vertx.core.json.DecodeException if it is not one
   */
  public JsonObject json() {
    return new JsonObject(data);
  }
}
