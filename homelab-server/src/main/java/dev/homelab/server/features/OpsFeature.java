package dev.homelab.server.features;

import dev.homelab.core.audit.AuditLog;
import dev.homelab.core.leader.LeaderJob;
import dev.homelab.core.settings.Settings;
import dev.homelab.server.HomelabServer;
import dev.homelab.server.ServerConfig;
import dev.homelab.server.http.Routes;
import dev.homelab.server.ops.Housekeeping;
import dev.homelab.server.routes.AuditRoutes;
import dev.homelab.server.routes.HealthRoutes;
import dev.homelab.server.routes.OpsRoutes;
import dev.homelab.server.routes.SettingsRoutes;
import dev.homelab.server.routes.SystemRoutes;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.Map;

/**
 * Operating the server: health (the detailed one of the store, Redis and every upstream), {@code
 * /metrics} and the API document, the audit log, settings, {@code /api/system} with its meters, and
 * housekeeping (retention of the audit and access logs) as a leader job.
 */
public final class OpsFeature implements Feature {

  private final ServerContext context;
  private final SecretsFeature secrets;
  private final StorageFeature storage;
  private final LeaderFeature leader;
  private final MetricsFeature metrics;
  private final AuthFeature auth;
  private final HealthSources healthSources;
  private Housekeeping housekeeping;

  /**
   * @param context the server's context
   * @param secrets the API document
   * @param storage the store
   * @param leader the collectors role, reported by {@code /api/system}
   * @param metrics the monitor and downsampler {@code /api/system} reports on
   * @param auth builds the actor of a settings change
   * @param healthSources Redis and the upstreams, for the detailed health
   */
  public OpsFeature(
      ServerContext context,
      SecretsFeature secrets,
      StorageFeature storage,
      LeaderFeature leader,
      MetricsFeature metrics,
      AuthFeature auth,
      HealthSources healthSources) {
    this.context = context;
    this.secrets = secrets;
    this.storage = storage;
    this.leader = leader;
    this.metrics = metrics;
    this.auth = auth;
    this.healthSources = healthSources;
  }

  @Override
  public String name() {
    return "ops";
  }

  @Override
  public Future<Void> start(CloseStack opened) {
    ServerConfig config = context.config();
    housekeeping =
        new Housekeeping(
            context.vertx(),
            storage.storage(),
            Duration.ofDays(config.auditRetentionDays()),
            Duration.ofDays(config.accessLogRetentionDays()),
            context.clock());
    return Future.succeededFuture();
  }

  @Override
  public void routes(Routes routes) {
    ServerConfig config = context.config();
    new HealthRoutes(
            storage.storage(),
            HomelabServer.VERSION,
            healthSources.systemHealth(context, storage.storage()))
        .register(routes);
    new OpsRoutes(context.registry(), config, secrets::openApi).register(routes);
    new AuditRoutes(new AuditLog(storage.storage().audit())).register(routes);
    new SettingsRoutes(new Settings(storage.storage(), context.clock()), auth.actors())
        .register(routes);
    SystemRoutes system =
        new SystemRoutes(
            context.vertx(),
            metrics.hostMonitor(),
            storage.storage(),
            metrics.downsampler(),
            leader.leadership(),
            config.dataDir(),
            HomelabServer.VERSION,
            context.clock());
    system.register(routes);
    if (context.registry() != null) {
      system.registerMeters(context.registry(), metrics.collectors());
    }
  }

  @Override
  public Map<String, LeaderJob> leaderJobs() {
    return Map.of("housekeeping", housekeeping);
  }
}
