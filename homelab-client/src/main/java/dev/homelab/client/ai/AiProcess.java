package dev.homelab.client.ai;

import io.vertx.core.json.JsonObject;

/**
 * One chat the AI hub is running ({@code GET /api/ai/processes}).
 *
 * @param processId its process id, the one {@link AiApi#cancel} takes
 * @param cwd its working directory, or {@code null}
 * @param model the model, such as {@code sonnet}, or {@code null}
 * @param startedAt when it started, as the hub wrote it, or {@code null}
 * @param sessionId its session, or {@code null}
 */
public record AiProcess(
    String processId, String cwd, String model, String startedAt, String sessionId) {

  /**
   * @param json one entry of the list
   * @return it
   */
  public static AiProcess fromJson(JsonObject json) {
    return new AiProcess(
        json.getString("process_id"),
        json.getString("cwd"),
        json.getString("model"),
        json.getString("started_at"),
        json.getString("session_id"));
  }

  /**
   * @return the entry as the server sends it
   */
  public JsonObject toJson() {
    return new JsonObject()
        .put("process_id", processId)
        .put("cwd", cwd)
        .put("model", model)
        .put("started_at", startedAt)
        .put("session_id", sessionId);
  }
}
