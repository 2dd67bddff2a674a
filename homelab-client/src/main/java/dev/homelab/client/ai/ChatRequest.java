package dev.homelab.client.ai;

import io.vertx.core.json.JsonObject;

/**
 * A message to the AI hub ({@code POST /api/ai/chat}). The server checks it (a blank message, a
 * relative {@code cwd} or a bad session id are refused with 422).
 *
 * @param message what to ask
 * @param systemPrompt the system prompt, or {@code null} for the hub's
 * @param cwd the session's working directory, an absolute path, or {@code null}
 * @param sessionId the session to continue (from a previous chat's {@code system}/{@code init}
 *     event), or {@code null} for a new one
 */
public record ChatRequest(String message, String systemPrompt, String cwd, String sessionId) {

  /**
   * @param message what to ask
   * @return a request in a new session
   */
  public static ChatRequest of(String message) {
    return new ChatRequest(message, null, null, null);
  }

  /**
   * @return the request's body, {@code session_id} null for a new session
   */
  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("message", message);
    if (systemPrompt != null) {
      json.put("system_prompt", systemPrompt);
    }
    if (cwd != null) {
      json.put("cwd", cwd);
    }
    return json.put("session_id", sessionId);
  }
}
