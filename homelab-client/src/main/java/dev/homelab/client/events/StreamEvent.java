package dev.homelab.client.events;

import dev.homelab.client.internal.JsonFields;
import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * One event of the server's stream ({@code GET /api/events} or {@code GET /ws}).
 *
 * @param id the event's id; ids increase, and a stream resumes after the last one received
 * @param topic the topic, for example {@code host.metrics} or {@code access.decision}
 * @param timestamp when the server published it
 * @param payload what happened
 */
public record StreamEvent(String id, String topic, Instant timestamp, JsonObject payload) {

  /**
   * @param id the SSE {@code id:} field
   * @param data the SSE {@code data:} field, the event as JSON
   * @return the event
   */
  public static StreamEvent fromSse(String id, JsonObject data) {
    return new StreamEvent(
        id,
        data.getString("topic"),
        JsonFields.instant(data, "timestamp"),
        data.getJsonObject("payload", new JsonObject()));
  }

  /**
   * @param json a WebSocket event message, or the event as the SSE {@code data:} field has it
   * @return the event
   */
  public static StreamEvent fromJson(JsonObject json) {
    Object id = json.getValue("id");
    return new StreamEvent(
        id == null ? null : id.toString(),
        json.getString("topic"),
        JsonFields.instant(json, "timestamp"),
        json.getJsonObject("payload", new JsonObject()));
  }
}
