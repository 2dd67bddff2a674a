package dev.homelab.core.events;

import io.vertx.core.Future;

/** A handle on an {@link EventHub} subscription. */
public interface EventSubscription {

  /**
   * Stops the deliveries. No event reaches the handler once the future completes.
   *
   * @return a future completed when the subscription is gone
   */
  Future<Void> cancel();
}
