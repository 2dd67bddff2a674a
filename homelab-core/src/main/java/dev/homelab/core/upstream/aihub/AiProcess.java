package dev.homelab.core.upstream.aihub;

import static dev.homelab.core.upstream.impl.LenientJson.string;

import io.vertx.core.json.JsonObject;

/**
 * One chat the AI hub is running (seed 003's {@code GET /processes}).
 *
 * @param processId its process id, the one {@link AiHubClient#cancel} takes
 * @param cwd its working directory, or {@code null}
 * @param model the model, such as {@code sonnet}, or {@code null}
 * @param startedAt when it started, as the hub wrote it, or {@code null}
 * @param sessionId its session, or {@code null}
 * @param json the entry as the hub sent it
 */
public record AiProcess(
    String processId,
    String cwd,
    String model,
    String startedAt,
    String sessionId,
    JsonObject json) {

  /**
   * @param json one entry of the hub's list
   * @return it, or {@code null} if it has no process id
   */
  public static AiProcess fromJson(JsonObject json) {
    String processId = string(json, "process_id");
    if (processId == null) {
      return null;
    }
    return new AiProcess(
        processId,
        string(json, "cwd"),
        string(json, "model"),
        string(json, "started_at"),
        string(json, "session_id"),
        json);
  }
}
