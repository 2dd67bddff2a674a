package dev.homelab.server;

import dev.homelab.core.events.EventHub;
import dev.homelab.core.metrics.CollectorScheduler;
import dev.homelab.core.metrics.Downsampler;
import dev.homelab.core.monitor.HostCollector;
import dev.homelab.core.monitor.HostMonitor;
import dev.homelab.core.store.Storage;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's metrics machinery: the downsampler over the store, the host monitor, and the
 * collector scheduler that feeds one into the other and publishes each host snapshot as {@code
 * host.metrics}.
 */
final class Monitoring {

  private static final Logger LOG = LoggerFactory.getLogger(Monitoring.class);

  /** The topic of host snapshots. */
  static final String HOST_TOPIC = "host.metrics";

  final Downsampler downsampler;
  final HostMonitor monitor;
  final CollectorScheduler collectors;

  private Monitoring(Downsampler downsampler, HostMonitor monitor, CollectorScheduler collectors) {
    this.downsampler = downsampler;
    this.monitor = monitor;
    this.collectors = collectors;
  }

  /** Creates the parts and loads the roll-up watermarks; nothing is collected until started. */
  static Future<Monitoring> open(Vertx vertx, ServerConfig config, Storage storage, Clock clock) {
    Downsampler downsampler =
        Downsampler.create(vertx, storage.metrics(), config.downsamplerOptions(), clock);
    HostMonitor monitor = HostMonitor.create(vertx);
    CollectorScheduler collectors = CollectorScheduler.create(vertx, downsampler);
    Monitoring monitoring = new Monitoring(downsampler, monitor, collectors);
    return downsampler
        .start()
        .map(monitoring)
        .recover(failure -> monitoring.close().transform(v -> Future.failedFuture(failure)));
  }

  /** Starts the host collector, if its interval is not zero. */
  void startCollecting(ServerConfig config, EventHub events) {
    if (config.hostMetricsInterval().isZero()) {
      LOG.info("The host monitor is off (METRICS_INTERVAL_HOST=0)");
      return;
    }
    collectors.add(
        new HostCollector(
            monitor,
            config.hostMetricsInterval(),
            snapshot ->
                events
                    .publish(HOST_TOPIC, snapshot.toJson())
                    .onFailure(
                        e -> LOG.debug("Could not publish a host snapshot: {}", e.toString()))));
  }

  /** Stops collecting, lets the operation in flight finish, releases the monitor's thread. */
  Future<Void> close() {
    return collectors.close().eventually(downsampler::close).eventually(monitor::close);
  }
}
