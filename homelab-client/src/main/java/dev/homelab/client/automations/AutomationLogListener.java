package dev.homelab.client.automations;

/**
 * Receives an automation's log lines, on the client's event loop, one at a time. After {@link
 * #onClosed()} or {@link #onFailure(Throwable)} nothing more is called.
 */
public interface AutomationLogListener {

  /** The stream is connected (again). */
  default void onOpen() {}

  /**
   * A log line arrived.
   *
   * @param line the line as the automation logged it
   */
  void onLine(String line);

  /**
   * The connection to the server was lost and will be tried again; lines logged meanwhile are
   * missed.
   *
   * @param cause why it was lost
   * @param delayMillis when the next attempt starts
   */
  default void onReconnecting(Throwable cause, long delayMillis) {}

  /** The subscription was closed by its {@code close()}. */
  default void onClosed() {}

  /**
   * The server refused the stream for good (401, 403, 404, 422): no more attempts.
   *
   * @param failure why
   */
  default void onFailure(Throwable failure) {}
}
