package dev.homelab.client.ai;

/**
 * What a chat tells: its events in order, then exactly one of {@link #onEnd()} (the hub ended the
 * stream: the chat is done or was cancelled) or {@link #onFailure(Throwable)} (the stream broke);
 * nothing after {@link ChatSubscription#close()}. Called on one Vert.x context, one at a time; must
 * not block.
 */
public interface ChatListener {

  /**
   * @param event the next event, unmodified
   */
  void onEvent(ChatEvent event);

  /** The stream ended cleanly. Does nothing by default. */
  default void onEnd() {}

  /**
   * The stream broke: the server reset it (the hub failed mid-chat) or the connection was lost.
   * Does nothing by default.
   *
   * @param failure a {@link dev.homelab.client.HomelabConnectionException}
   */
  default void onFailure(Throwable failure) {}
}
