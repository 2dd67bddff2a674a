package dev.homelab.client.impl;

import dev.homelab.client.events.EventListener;
import dev.homelab.client.events.EventSubscription;
import dev.homelab.client.events.EventsApi;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@link EventsApi} over the transport's event-stream connections. It keeps its open subscriptions,
 * so that closing the client closes them.
 */
final class EventsClient implements EventsApi {

  private final Transport transport;
  private final Set<EventSubscription> subscriptions = ConcurrentHashMap.newKeySet();

  EventsClient(Transport transport) {
    this.transport = transport;
  }

  @Override
  public EventSubscription subscribe(
      Collection<String> topics, String lastEventId, EventListener listener) {
    return track(
        new SseSubscription(
            transport.vertx(),
            transport.options(),
            transport.eventStreams(),
            withTopics("/api/events", topics),
            transport::credential,
            lastEventId,
            listener,
            subscriptions::remove));
  }

  @Override
  public EventSubscription subscribeWebSocket(
      Collection<String> topics, String lastEventId, EventListener listener) {
    return track(
        new WebSocketSubscription(
            transport.vertx(),
            transport.options(),
            transport.webSockets(),
            withTopics("/ws", topics),
            transport::credential,
            lastEventId,
            listener,
            subscriptions::remove));
  }

  /** Closes every open subscription; called when the client closes. */
  void closeAll() {
    subscriptions.forEach(EventSubscription::close);
    subscriptions.clear();
  }

  private String withTopics(String path, Collection<String> topics) {
    StringBuilder uri = new StringBuilder(transport.uri(path));
    if (!topics.isEmpty()) {
      uri.append("?topics=")
          .append(URLEncoder.encode(String.join(",", topics), StandardCharsets.UTF_8));
    }
    return uri.toString();
  }

  private EventSubscription track(StreamSubscription subscription) {
    subscriptions.add(subscription);
    return subscription.start();
  }
}
