package dev.homelab.server.features;

import dev.homelab.core.upstream.proxmox.ProxmoxClient;
import dev.homelab.core.upstream.proxmox.ProxmoxCollectors;
import dev.homelab.core.upstream.proxmox.ProxmoxHistory;
import dev.homelab.core.upstream.proxmox.ProxmoxPower;
import dev.homelab.core.upstream.proxmox.ProxmoxTaskEvents;
import dev.homelab.server.http.Routes;
import dev.homelab.server.routes.ProxmoxRoutes;
import dev.homelab.server.routes.UpstreamMetricsRoutes;
import io.vertx.core.Future;

/**
 * The Proxmox VE servers of {@code PROXMOX_SERVERS}: one {@link ProxmoxClient} for all of them, the
 * audited power actions whose tasks are followed and published as {@code proxmox.task} events
 * (until {@code PROXMOX_TASK_FOLLOW_SECONDS}, or the shutdown), and {@code /api/proxmox}. With no
 * server configured the routes are still there: the server list is empty and every server id is
 * unknown (404).
 *
 * <p>Each server's node and guests are collectors of the metrics feature's scheduler, so they run
 * only on the leader, as the host monitor does; their history is {@code /api/metrics/server} and
 * {@code /api/metrics/vm}.
 */
public final class ProxmoxFeature implements Feature {

  private final ServerContext context;
  private final StorageFeature storage;
  private final AuthFeature auth;
  private final EventsFeature events;
  private final MetricsFeature metrics;
  private ProxmoxClient client;
  private ProxmoxPower power;
  private ProxmoxTaskEvents tasks;
  private ProxmoxHistory history;

  /**
   * @param context the server's context
   * @param storage where the power actions are audited
   * @param auth builds the actor of a request
   * @param events where the power actions' task progress is published
   * @param metrics whose scheduler runs the collectors and whose downsampler keeps their history
   */
  public ProxmoxFeature(
      ServerContext context,
      StorageFeature storage,
      AuthFeature auth,
      EventsFeature events,
      MetricsFeature metrics) {
    this.context = context;
    this.storage = storage;
    this.auth = auth;
    this.events = events;
    this.metrics = metrics;
  }

  @Override
  public String name() {
    return "proxmox";
  }

  @Override
  public Future<Void> start(CloseStack opened) {
    client = ProxmoxClient.create(context.vertx(), context.config().proxmoxServers());
    opened.push(
        "proxmox",
        () -> {
          client.close();
          return Future.succeededFuture();
        });
    tasks =
        new ProxmoxTaskEvents(
            client,
            events.hub(),
            ProxmoxClient.FOLLOW_INTERVAL,
            context.config().proxmoxTaskFollow());
    power = new ProxmoxPower(client, storage.storage().audit(), context.clock(), tasks);
    ProxmoxCollectors.create(
            client,
            context.config().serverMetricsInterval(),
            context.config().guestMetricsInterval(),
            context.clock())
        .forEach(metrics.collectors()::add);
    history = new ProxmoxHistory(client, metrics.downsampler());
    return Future.succeededFuture();
  }

  /** Followers stop at the shutdown's start, before the client they poll through closes. */
  @Override
  public Future<Void> quiesce() {
    if (tasks != null) {
      tasks.close();
    }
    return Future.succeededFuture();
  }

  @Override
  public void routes(Routes routes) {
    new ProxmoxRoutes(client, power, auth.actors()).register(routes);
    UpstreamMetricsRoutes.registerProxmox(
        routes,
        history,
        context.config().serverMetricsInterval(),
        context.config().guestMetricsInterval(),
        context.clock());
  }

  /**
   * @return the client of the configured servers
   */
  public ProxmoxClient client() {
    return client;
  }
}
