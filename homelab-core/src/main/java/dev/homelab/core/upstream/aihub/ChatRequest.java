package dev.homelab.core.upstream.aihub;

import dev.homelab.core.ValidationException;
import io.vertx.core.json.JsonObject;
import java.util.regex.Pattern;

/**
 * A message to the AI hub (seed 003's {@code POST /chat} body). Checked when created: a request
 * that breaks a rule is never sent.
 *
 * @param message what to ask; not blank, at most 100,000 characters
 * @param systemPrompt the system prompt, or {@code null}; at most 100,000 characters
 * @param cwd the working directory of the session, an absolute path, or {@code null}
 * @param sessionId the session to continue (from a previous chat's {@code system}/{@code init}
 *     event), or {@code null} for a new one; letters, digits and {@code -}
 */
public record ChatRequest(String message, String systemPrompt, String cwd, String sessionId) {

  private static final int MAX_TEXT = 100_000;
  private static final Pattern SESSION = Pattern.compile("[A-Za-z0-9-]{1,100}");

  /** Checks the values. */
  public ChatRequest {
    if (message == null || message.isBlank()) {
      throw new ValidationException("message", "a message is required");
    }
    if (message.length() > MAX_TEXT) {
      throw new ValidationException("message", "a message is at most 100000 characters");
    }
    if (systemPrompt != null && systemPrompt.length() > MAX_TEXT) {
      throw new ValidationException(
          "system_prompt", "a system prompt is at most 100000 characters");
    }
    if (cwd != null && (!cwd.startsWith("/") || cwd.length() > 4096 || cwd.indexOf('\0') >= 0)) {
      throw new ValidationException("cwd", "cwd is an absolute path");
    }
    if (sessionId != null && !SESSION.matcher(sessionId).matches()) {
      throw new ValidationException("session_id", "a session id is letters, digits and '-'");
    }
  }

  /**
   * @param message what to ask
   * @return a request in a new session, with the hub's default prompt and directory
   */
  public static ChatRequest of(String message) {
    return new ChatRequest(message, null, null, null);
  }

  /**
   * @return the body the hub expects, {@code session_id} null for a new session
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
