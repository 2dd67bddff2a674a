package dev.homelab.core.upstream.aihub;

import dev.homelab.sse.SseEvent;

/**
 * What a chat's stream tells, in the manner of OkHttp's {@code EventSourceListener}: events, then
 * exactly one of {@link #onEnd()} or {@link #onFailure(Throwable)}, and after that nothing; nothing
 * at all after {@link ChatStream#close()}. Called on the context that started the chat, one at a
 * time; must not block.
 */
public interface ChatListener {

  /**
   * The next event of the hub, unmodified: seed 003's {@code message} events (system init,
   * assistant text and tool use, tool results, the result) and the closing {@code done}.
   *
   * @param event the event
   */
  void onEvent(SseEvent event);

  /** The hub ended the stream: the chat is done or was cancelled. Does nothing by default. */
  default void onEnd() {}

  /**
   * The stream broke (reset, garbled); the chat may or may not still run on the hub. Does nothing
   * by default.
   *
   * @param failure an {@link dev.homelab.core.upstream.UpstreamException}
   */
  default void onFailure(Throwable failure) {}
}
