package dev.homelab.server.features;

import dev.homelab.core.events.EventHub;
import dev.homelab.server.ServerConfig;
import dev.homelab.server.http.Routes;
import dev.homelab.server.routes.EventRoutes;
import io.vertx.core.Future;

/**
 * The event hub, and the streams that carry it to clients: {@code /api/events} (SSE) and the
 * WebSocket. Streams never end on their own, so the shutdown ends them first.
 */
public final class EventsFeature implements Feature {

  private final ServerContext context;
  private final AuthFeature auth;
  private EventHub hub;
  private EventRoutes streams;

  /**
   * @param context the server's context
   * @param auth authenticates stream clients, and tells the streams of revoked credentials
   */
  public EventsFeature(ServerContext context, AuthFeature auth) {
    this.context = context;
    this.auth = auth;
  }

  @Override
  public String name() {
    return "events";
  }

  @Override
  public Future<Void> start(CloseStack opened) {
    hub = EventHub.create(context.vertx(), context.config().eventHubOptions());
    opened.push("the event hub", hub::close);
    return Future.succeededFuture();
  }

  @Override
  public void routes(Routes routes) {
    ServerConfig config = context.config();
    streams =
        new EventRoutes(
            context.vertx(),
            hub,
            auth.authenticator(),
            new EventRoutes.Limits(
                config.eventsPing(), config.eventsMaxPerUser(), config.eventsMaxClients()),
            context.registry(),
            context.clock());
    streams.register(routes);
  }

  @Override
  public Future<Void> quiesce() {
    return streams == null
        ? Future.succeededFuture()
        : streams.endAll("the server is shutting down");
  }

  /**
   * @return the event hub
   */
  public EventHub hub() {
    return hub;
  }
}
