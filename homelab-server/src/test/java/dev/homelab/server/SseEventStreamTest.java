package dev.homelab.server;

import dev.homelab.client.HomelabClient;
import dev.homelab.client.events.EventListener;
import dev.homelab.client.events.EventSubscription;
import java.util.Set;

/** The event stream contract over Server-Sent Events, {@code GET /api/events}. */
class SseEventStreamTest extends EventStreamContract {

  @Override
  EventSubscription subscribe(
      HomelabClient client, Set<String> topics, String lastEventId, EventListener listener) {
    return client.events().subscribe(topics, lastEventId, listener);
  }

  @Override
  String rawRequest(String topics, String bearer) {
    return "GET /api/events?topics="
        + topics
        + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer "
        + bearer
        + "\r\n\r\n";
  }
}
