package dev.homelab.client.events;

import dev.homelab.client.HomelabClientOptions;
import java.util.Collection;

/**
 * The server's events, over Server-Sent Events ({@code GET /api/events}) or a WebSocket ({@code GET
 * /ws}): the same events either way. Subscriptions reconnect with backoff and resume with {@code
 * Last-Event-ID}, so a short disconnection loses nothing.
 */
public interface EventsApi {

  /**
   * Like {@link #subscribe(Collection, String, EventListener)} from now on.
   *
   * @param topics the topics, for example {@code host.metrics}; empty for every topic the caller
   *     may see
   * @param listener receives the events
   * @return the subscription
   */
  default EventSubscription subscribe(Collection<String> topics, EventListener listener) {
    return subscribe(topics, null, listener);
  }

  /**
   * Subscribes to topics. Returns at once; the connection is made in the background and made again
   * whenever it is lost (after {@link HomelabClientOptions#getReconnectDelayMs()}, doubling up to
   * {@link HomelabClientOptions#getMaxReconnectDelayMs()}: 0.5 s up to 30 s by default), resuming
   * after the last event delivered.
   *
   * @param topics the topics; empty for every topic the caller may see
   * @param lastEventId resume after this event id, or {@code null} for new events only
   * @param listener receives the events
   * @return the subscription
   */
  EventSubscription subscribe(
      Collection<String> topics, String lastEventId, EventListener listener);

  /**
   * Like {@link #subscribeWebSocket(Collection, String, EventListener)} from now on.
   *
   * @param topics the topics; empty for every topic the caller may see
   * @param listener receives the events
   * @return the subscription
   */
  default EventSubscription subscribeWebSocket(Collection<String> topics, EventListener listener) {
    return subscribeWebSocket(topics, null, listener);
  }

  /**
   * Like {@link #subscribe(Collection, String, EventListener)}, over a WebSocket ({@code GET /ws})
   * instead of Server-Sent Events: for networks whose proxies buffer or cut long HTTP responses.
   *
   * @param topics the topics; empty for every topic the caller may see
   * @param lastEventId resume after this event id, or {@code null} for new events only
   * @param listener receives the events
   * @return the subscription
   */
  EventSubscription subscribeWebSocket(
      Collection<String> topics, String lastEventId, EventListener listener);
}
