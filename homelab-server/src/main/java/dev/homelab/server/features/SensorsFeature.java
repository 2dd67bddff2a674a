package dev.homelab.server.features;

import dev.homelab.core.metrics.DownsamplerOptions;
import dev.homelab.core.store.StorageKind;
import dev.homelab.core.telemetry.SensorCollector;
import dev.homelab.core.telemetry.SensorHistory;
import dev.homelab.core.telemetry.SensorIngest;
import dev.homelab.core.telemetry.SensorIngestOptions;
import dev.homelab.server.http.Routes;
import dev.homelab.server.routes.SensorRoutes;
import io.vertx.core.Future;
import java.time.Duration;

/**
 * Sensors: ingestion with group commit ({@link SensorIngest}), the collector that feeds committed
 * readings into the metric tiers on the leader, the history read from them, and {@code
 * /api/sensors}.
 */
public final class SensorsFeature implements Feature {

  /** How often the leader feeds new readings into the tiers. */
  static final Duration COLLECT_INTERVAL = Duration.ofSeconds(1);

  /**
   * How long after its commit a reading is fed, on PostgreSQL: a transaction that took its ids a
   * moment ago may commit after a later one (see {@link SensorCollector}).
   */
  static final Duration POSTGRES_SETTLE = Duration.ofSeconds(2);

  private final ServerContext context;
  private final StorageFeature storage;
  private final EventsFeature events;
  private final AuthFeature auth;
  private final MetricsFeature metrics;
  private SensorIngest ingest;
  private SensorHistory history;

  /**
   * @param context the server's context
   * @param storage the devices and the readings
   * @param events where stored readings are published
   * @param auth builds the actor of a request
   * @param metrics the downsampler and the collectors the readings are fed through
   */
  public SensorsFeature(
      ServerContext context,
      StorageFeature storage,
      EventsFeature events,
      AuthFeature auth,
      MetricsFeature metrics) {
    this.context = context;
    this.storage = storage;
    this.events = events;
    this.auth = auth;
    this.metrics = metrics;
  }

  @Override
  public String name() {
    return "sensors";
  }

  @Override
  public Future<Void> start(CloseStack opened) {
    DownsamplerOptions tiers = context.config().downsamplerOptions();
    boolean postgres = storage.storage().kind() == StorageKind.POSTGRESQL;
    SensorIngestOptions options =
        new SensorIngestOptions()
            .setLateness(tiers.getLateness())
            // A database server answers sooner with a few commits in flight; SQLite has one writer.
            .setMaxConcurrentCommits(postgres ? 4 : 1);
    ingest =
        new SensorIngest(
            context.vertx(), storage.storage(), events.hub(), context.clock(), options);
    // Its close commits every reading already accepted.
    opened.push("sensor ingestion", ingest::close, CloseStack.DRAIN_TIMEOUT);
    history = new SensorHistory(storage.storage().devices(), metrics.downsampler());
    metrics
        .collectors()
        .add(
            new SensorCollector(
                    storage.storage().sensorReadings(),
                    metrics.downsampler(),
                    context.clock(),
                    COLLECT_INTERVAL,
                    postgres ? POSTGRES_SETTLE : Duration.ZERO,
                    tiers.getLateness())
                // Acknowledgements first; the history follows a burst within the hold-off, which
                // leaves the oldest reading accepted the time to reach the tiers in the lateness.
                .yieldingTo(
                    () -> ingest.pending() > 0,
                    tiers
                        .getLateness()
                        .minus(options.pastWindow())
                        .minus(postgres ? POSTGRES_SETTLE : Duration.ZERO)
                        .minus(COLLECT_INTERVAL.multipliedBy(2))));
    return Future.succeededFuture();
  }

  @Override
  public void routes(Routes routes) {
    new SensorRoutes(ingest, history, auth.actors(), context.clock(), context.registry())
        .register(routes);
  }

  /**
   * @return the ingestion service, for the MQTT device gateway
   */
  public SensorIngest ingest() {
    return ingest;
  }
}
