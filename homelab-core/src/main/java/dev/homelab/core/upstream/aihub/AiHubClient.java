package dev.homelab.core.upstream.aihub;

import dev.homelab.core.upstream.UpstreamStatus;
import dev.homelab.core.upstream.aihub.impl.AiHubClientImpl;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * A client of the AI hub of seed 003 (a Claude Code API, {@code AI_HUB_URL}): streaming chats,
 * their cancellation and the list of running ones.
 *
 * <p>Every request carries HTTP Basic credentials and is bounded by {@link
 * AiHubOptions#getTimeout()} (300 s by default; for a chat, until the hub starts streaming). The
 * chat's events are passed through unmodified, as seed 003 asks: each chat has its own upstream
 * connection. Failures are {@link dev.homelab.core.upstream.UpstreamException}s; an unknown process
 * is a {@link dev.homelab.core.NotFoundException}; an invalid request or process id is a {@link
 * dev.homelab.core.ValidationException}, before any request.
 *
 * <p>Thread-safe. Futures complete on the caller's context.
 */
public interface AiHubClient {

  /**
   * Creates a client; nothing is sent until a method is called.
   *
   * @param vertx the Vert.x instance
   * @param options where the hub is and how to reach it; copied
   * @return the client
   * @throws IllegalArgumentException if the options have no base URL
   */
  static AiHubClient create(Vertx vertx, AiHubOptions options) {
    return new AiHubClientImpl(vertx, options);
  }

  /**
   * Sends a message ({@code POST /chat}) and streams the answer. Sent once: a chat is never
   * repeated.
   *
   * @param request the message
   * @param listener what to tell, from the first event on
   * @return the stream once the hub started answering; fails with an {@link
   *     dev.homelab.core.upstream.UpstreamException} if it did not
   */
  Future<ChatStream> chat(ChatRequest request, ChatListener listener);

  /**
   * Cancels a running chat ({@code DELETE /chat/{process_id}}); its stream ends. The session stays
   * on the hub and may be continued.
   *
   * @param processId the chat's process id, from {@link #processes()} or its {@code done} event
   * @return the hub's answer, such as {@code {"status": "cancelled", "process_id": ...}}; fails
   *     with {@link dev.homelab.core.NotFoundException} if no such process runs, with {@link
   *     dev.homelab.core.ValidationException} (nothing sent) if the id is not a valid one
   */
  Future<JsonObject> cancel(String processId);

  /**
   * @return the chats running now ({@code GET /processes})
   */
  Future<List<AiProcess>> processes();

  /**
   * @return whether the hub answers, how fast, and its breaker's state; never fails
   */
  Future<UpstreamStatus> probe();

  /**
   * Closes the connections (running chats' streams break).
   *
   * @return completes once done
   */
  Future<Void> close();
}
