package dev.homelab.client.events;

/**
 * Receives a subscription's events, on the client's event loop, one at a time. After {@link
 * #onClosed()} or {@link #onFailure(Throwable)} nothing more is called (OkHttp's {@code
 * EventSourceListener} contract).
 */
public interface EventListener {

  /** The stream is connected (again). */
  default void onOpen() {}

  /**
   * An event arrived. After a reconnection the stream resumes after the last event delivered:
   * nothing is delivered twice, and nothing is missed unless {@link #onReset} says so.
   *
   * @param event the event
   */
  void onEvent(StreamEvent event);

  /**
   * The server no longer kept every event after {@code lastEventId}: some were missed, and the
   * stream goes on with new events. Reload whatever state the events keep up to date.
   *
   * @param lastEventId the id the stream asked to resume after
   */
  default void onReset(String lastEventId) {}

  /**
   * The connection was lost and will be tried again.
   *
   * @param cause why it was lost
   * @param delayMillis when the next attempt starts
   */
  default void onReconnecting(Throwable cause, long delayMillis) {}

  /** The subscription was closed by {@link EventSubscription#close()}. */
  default void onClosed() {}

  /**
   * The server refused the subscription for good (401, 403, 422): no more attempts.
   *
   * @param failure why
   */
  default void onFailure(Throwable failure) {}
}
