package dev.homelab.server.features;

import dev.homelab.core.access.AccessEngine;
import dev.homelab.server.http.Routes;
import dev.homelab.server.routes.AccessRoutes;
import io.vertx.core.Future;

/**
 * The access engine (door decisions, card policies, the access log) and {@code /api/access} and
 * {@code /api/policies}, with the decision meters.
 */
public final class AccessFeature implements Feature {

  private final ServerContext context;
  private final StorageFeature storage;
  private final EventsFeature events;
  private final AuthFeature auth;
  private AccessEngine engine;

  /**
   * @param context the server's context
   * @param storage the policies, the access log and the audit log
   * @param events where decisions and lockouts are published
   * @param auth builds the actor of a policy change
   */
  public AccessFeature(
      ServerContext context, StorageFeature storage, EventsFeature events, AuthFeature auth) {
    this.context = context;
    this.storage = storage;
    this.events = events;
    this.auth = auth;
  }

  @Override
  public String name() {
    return "access";
  }

  @Override
  public Future<Void> start(CloseStack opened) {
    return AccessEngine.builder(context.vertx())
        .storage(storage.storage())
        .events(events.hub())
        .clock(context.clock())
        .options(context.config().accessEngineOptions())
        .start()
        .map(
            started -> {
              engine = started;
              // Its close commits every access log row still pending.
              opened.push("the access engine", started::close, CloseStack.DRAIN_TIMEOUT);
              return null;
            });
  }

  @Override
  public void routes(Routes routes) {
    new AccessRoutes(engine, auth.actors(), context.registry()).register(routes);
  }

  /**
   * @return the access engine
   */
  public AccessEngine engine() {
    return engine;
  }
}
