package dev.homelab.server.features;

import dev.homelab.core.leader.LeaderJob;
import dev.homelab.core.metrics.CollectorScheduler;
import dev.homelab.core.metrics.Downsampler;
import dev.homelab.core.monitor.HostMonitor;
import dev.homelab.server.http.Routes;
import dev.homelab.server.routes.MetricsRoutes;
import io.vertx.core.Future;
import java.util.Map;

/**
 * Metrics: the downsampler, the host monitor and the collectors, {@code /api/metrics}, and the
 * leader job that collects and rolls up on one instance.
 */
public final class MetricsFeature implements Feature {

  private final ServerContext context;
  private final StorageFeature storage;
  private final LeaderFeature leader;
  private final EventsFeature events;
  private Monitoring monitoring;

  /**
   * @param context the server's context
   * @param storage where the series are kept
   * @param leader the collectors role
   * @param events where host snapshots are published
   */
  public MetricsFeature(
      ServerContext context, StorageFeature storage, LeaderFeature leader, EventsFeature events) {
    this.context = context;
    this.storage = storage;
    this.leader = leader;
    this.events = events;
  }

  @Override
  public String name() {
    return "metrics";
  }

  @Override
  public Future<Void> start(CloseStack opened) {
    return Monitoring.open(
            context.vertx(),
            context.config(),
            storage.storage(),
            leader.leadership(),
            context.clock())
        .map(
            open -> {
              monitoring = open;
              opened.push("monitoring", open::close);
              open.startCollecting(context.config(), events.hub());
              return null;
            });
  }

  @Override
  public void routes(Routes routes) {
    new MetricsRoutes(
            monitoring.downsampler, context.config().hostMetricsInterval(), context.clock())
        .register(routes);
  }

  @Override
  public Map<String, LeaderJob> leaderJobs() {
    return Map.of("collectors and roll-ups", monitoring.job());
  }

  /**
   * @return the downsampler
   */
  public Downsampler downsampler() {
    return monitoring.downsampler;
  }

  /**
   * @return the host monitor
   */
  public HostMonitor hostMonitor() {
    return monitoring.monitor;
  }

  /**
   * @return the collector scheduler
   */
  public CollectorScheduler collectors() {
    return monitoring.collectors;
  }
}
