package dev.homelab.client.ai;

import io.vertx.core.Future;
import java.util.List;

/**
 * The AI hub through the server: {@code /api/ai}, for users and admins (viewers get {@link
 * dev.homelab.client.HomelabForbiddenException}). A server without {@code AI_HUB_URL} answers every
 * call with {@link dev.homelab.client.HomelabNotFoundException} ({@code AI_HUB_NOT_CONFIGURED});
 * the hub unreachable or too slow fails with {@link dev.homelab.client.HomelabHttpException} 502 or
 * 504; too many calls per minute ({@code RATE_LIMIT_AI_PER_MINUTE}) with {@link
 * dev.homelab.client.HomelabRateLimitedException}.
 */
public interface AiApi {

  /**
   * {@code POST /api/ai/chat}: sends a message and streams the hub's answer, event by event,
   * unmodified. Sent once, never repeated.
   *
   * @param request the message
   * @param listener what to tell, from the first event on
   * @return the subscription once the server started streaming; fails with {@link
   *     dev.homelab.client.HomelabValidationException} (a bad request), a {@link
   *     dev.homelab.client.HomelabHttpException} 502 or 504 (the hub failed before streaming), a
   *     {@link dev.homelab.client.HomelabNotFoundException} {@code AI_SESSION_NOT_FOUND} for
   *     another user's session, or another refusal
   */
  Future<ChatSubscription> chat(ChatRequest request, ChatListener listener);

  /**
   * {@code DELETE /api/ai/chat/{process_id}}: cancels a running chat, whose stream ends. The
   * session stays on the hub and may be continued.
   *
   * @param processId the chat's process id, from {@link #processes()} or its {@code done} event
   * @return the process id cancelled; fails with {@link
   *     dev.homelab.client.HomelabNotFoundException} if no such chat of the caller's runs (another
   *     user's is answered alike; an administrator may cancel any), {@link
   *     dev.homelab.client.HomelabValidationException} for a bad id
   */
  Future<String> cancel(String processId);

  /**
   * {@code GET /api/ai/processes}.
   *
   * @return the caller's chats running now (an administrator's: every chat on the hub)
   */
  Future<List<AiProcess>> processes();
}
