package dev.homelab.server.routes;

import io.vertx.core.json.JsonObject;

/** What both event transports say when a stream resumes too late. */
final class EventFrames {

  private EventFrames() {}

  /**
   * @param lastEventId the id the client asked to resume after
   * @return the body of the reset: why, and after which id
   */
  static JsonObject reset(long lastEventId) {
    return new JsonObject()
        .put("reason", "events after this id are no longer kept")
        .put("last_event_id", lastEventId);
  }
}
