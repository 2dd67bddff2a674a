package dev.homelab.server;

import dev.homelab.client.EventListener;
import dev.homelab.client.EventSubscription;
import dev.homelab.client.HomelabClient;
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
