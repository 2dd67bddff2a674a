package dev.homelab.client.events;

import io.vertx.core.Future;

/** A handle on an event stream subscription. */
public interface EventSubscription {

  /**
   * @return the id of the last event delivered, or {@code null} before the first
   */
  String lastEventId();

  /**
   * Closes the stream; no event is delivered after the future completes.
   *
   * @return a future completed when closed
   */
  Future<Void> close();
}
