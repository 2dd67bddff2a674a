package dev.homelab.client.ai;

/**
 * One running chat's stream, of its own connection. Its flow control reaches the hub: while paused,
 * nothing more is read, and the server stops reading from the hub. Methods may be called from any
 * thread.
 */
public interface ChatSubscription {

  /** Stops reading; nothing is lost. */
  void pause();

  /** Reads again. */
  void resume();

  /**
   * Closes the connection, with no further call to the listener; the server closes the chat's
   * connection to the hub, which stops its process.
   */
  void close();
}
