package dev.homelab.server.routes;

import dev.homelab.core.identity.Role;
import dev.homelab.core.leader.Leadership;
import dev.homelab.core.metrics.CollectorScheduler;
import dev.homelab.core.metrics.Downsampler;
import dev.homelab.core.metrics.Tier;
import dev.homelab.core.monitor.HostMonitor;
import dev.homelab.core.monitor.HostSnapshot;
import dev.homelab.core.store.StorageStatus;
import dev.homelab.server.http.Responses;
import dev.homelab.server.http.Routes;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;

/**
 * {@code /api/system} and {@code /api/dashboard}: the host's state now, the store's size and the
 * metrics tiers, and both together for a dashboard (seed 001).
 */
public final class SystemRoutes {

  private final Vertx vertx;
  private final HostMonitor monitor;
  private final StorageStatus storage;
  private final Downsampler downsampler;
  private final Leadership leadership;
  private final Path dataDir;
  private final String version;
  private final Instant started;
  private final Clock clock;

  /**
   * @param vertx for blocking file-system reads
   * @param monitor the host monitor
   * @param storage the store
   * @param downsampler the metrics downsampler
   * @param leadership the role of the instance that collects, rolls up and enforces retention
   * @param dataDir the data directory, whose file system is reported
   * @param version the server's version
   * @param clock the clock
   */
  public SystemRoutes(
      Vertx vertx,
      HostMonitor monitor,
      StorageStatus storage,
      Downsampler downsampler,
      Leadership leadership,
      Path dataDir,
      String version,
      Clock clock) {
    this.vertx = vertx;
    this.monitor = monitor;
    this.storage = storage;
    this.downsampler = downsampler;
    this.leadership = leadership;
    this.dataDir = dataDir;
    this.version = version;
    this.clock = clock;
    this.started = clock.instant();
  }

  /**
   * Registers the monitoring meters: collector runs, roll-up lag per tier, rows deleted by
   * retention, and whether this instance leads the collectors.
   *
   * @param registry the registry
   * @param collectors the collector scheduler
   */
  public void registerMeters(MeterRegistry registry, CollectorScheduler collectors) {
    // Every collector added by now: the host's and each configured upstream's (a bounded set).
    for (String name : collectors.stats().keySet()) {
      FunctionCounter.builder("homelab.collector.runs", collectors, c -> stat(c, name, true))
          .description("Collector runs that delivered points")
          .tags("collector", name, "outcome", "success")
          .register(registry);
      FunctionCounter.builder("homelab.collector.runs", collectors, c -> stat(c, name, false))
          .description("Collector runs that failed after every retry")
          .tags("collector", name, "outcome", "failure")
          .register(registry);
    }
    for (Tier tier : downsampler.tiers().subList(1, downsampler.tiers().size())) {
      Gauge.builder(
              "homelab.metrics.rollup.lag.seconds",
              downsampler,
              d -> d.rollupLag().getOrDefault(tier.name(), 0L) / 1000.0)
          .description("How far a tier's roll-up is behind where it could be")
          .tag("tier", tier.name())
          .register(registry);
    }
    FunctionCounter.builder(
            "homelab.metrics.retention.deleted", downsampler, Downsampler::deletedRows)
        .description("Metric rows deleted by retention")
        .register(registry);
    Gauge.builder("homelab.leader", leadership, l -> l.isLeader() ? 1 : 0)
        .description("1 while this instance holds the role, else 0")
        .tag("role", leadership.name())
        .register(registry);
  }

  private static double stat(CollectorScheduler collectors, String name, boolean success) {
    var stats = collectors.stats().get(name);
    return stats == null ? 0 : success ? stats.successes() : stats.failures();
  }

  /**
   * @param routes where to register
   */
  public void register(Routes routes) {
    routes.route(
        HttpMethod.GET, "/api/system", Role.VIEWER, ctx -> Responses.json(ctx, 200, system()));
    routes.route(
        HttpMethod.GET,
        "/api/system/storage",
        Role.VIEWER,
        ctx -> Responses.json(ctx, 200, storage()));
    routes.route(HttpMethod.GET, "/api/dashboard", Role.VIEWER, this::dashboard);
  }

  /** The latest snapshot if it is fresh (the collector's), else a new one. */
  private Future<JsonObject> system() {
    HostSnapshot latest = monitor.latest();
    if (latest != null && latest.time().isAfter(clock.instant().minusSeconds(10))) {
      return Future.succeededFuture(latest.toJson());
    }
    return monitor.sample().map(HostSnapshot::toJson);
  }

  private Future<JsonObject> storage() {
    Future<Long> size = storage.sizeBytes();
    Future<JsonObject> disk =
        vertx.executeBlocking(
            () -> {
              FileStore store = Files.getFileStore(dataDir);
              long total = store.getTotalSpace();
              long free = store.getUsableSpace();
              long used = total - store.getUnallocatedSpace();
              return new JsonObject()
                  .put("total", total)
                  .put("used", used)
                  .put("free", free)
                  .put("percent", used + free == 0 ? 0 : 100.0 * used / (used + free));
            },
            false);
    Future<Integer> series = downsampler.series().map(s -> s.size());
    return Future.all(size, disk, series)
        .map(
            done -> {
              JsonArray tiers = new JsonArray();
              Map<String, Long> marks = downsampler.watermarks();
              Map<String, Long> lag = downsampler.rollupLag();
              for (Tier tier : downsampler.tiers()) {
                JsonObject t =
                    new JsonObject()
                        .put("name", tier.name())
                        .put("bucket_seconds", tier.bucket().toSeconds())
                        .put("retention_seconds", tier.retention().toSeconds());
                Long mark = marks.get(tier.name());
                if (mark != null) {
                  t.put("rolled_up_to", mark == 0 ? null : Instant.ofEpochMilli(mark).toString());
                  t.put("lag_seconds", lag.getOrDefault(tier.name(), 0L) / 1000);
                }
                tiers.add(t);
              }
              return new JsonObject()
                  .put(
                      "database",
                      new JsonObject()
                          .put("kind", storage.kind().label())
                          .put("schema_version", storage.schemaVersion())
                          .put("size_bytes", size.result()))
                  .put("data_dir", disk.result())
                  .put(
                      "metrics",
                      new JsonObject()
                          .put("leader", leadership.isLeader())
                          .put("series", series.result())
                          .put("deleted_rows", downsampler.deletedRows())
                          .put("tiers", tiers));
            });
  }

  private void dashboard(RoutingContext ctx) {
    Future<JsonObject> system = system();
    Future<JsonObject> stored = storage();
    Responses.json(
        ctx,
        200,
        Future.all(system, stored)
            .map(
                done ->
                    new JsonObject()
                        .put("version", version)
                        .put(
                            "uptime_seconds",
                            clock.instant().getEpochSecond() - started.getEpochSecond())
                        .put("system", system.result())
                        .put("storage", stored.result())));
  }
}
