package dev.homelab.core.upstream.aihub;

/**
 * One running chat's stream, of its own upstream connection (chats are never shared). Its flow
 * control reaches the hub: while paused, nothing more is read from the connection. Methods may be
 * called from any thread.
 */
public interface ChatStream {

  /** Stops reading; the hub is slowed down by TCP, nothing is lost. */
  void pause();

  /** Reads again. */
  void resume();

  /**
   * Closes the connection, with no further call to the listener. The hub stops the chat's process
   * when its client goes away; {@link AiHubClient#cancel} says so explicitly.
   */
  void close();

  /**
   * @return the session id of the {@code system}/{@code init} event once it arrived, to continue
   *     the conversation later; {@code null} before
   */
  String sessionId();

  /**
   * @return the process id of the {@code done} event once it arrived; {@code null} before
   */
  String processId();
}
