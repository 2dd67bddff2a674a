package dev.homelab.server.features;

import dev.homelab.core.events.EventHub;
import dev.homelab.core.leader.LeaderJob;
import dev.homelab.core.leader.Leadership;
import dev.homelab.core.metrics.CollectorScheduler;
import dev.homelab.core.metrics.Downsampler;
import dev.homelab.core.monitor.HostCollector;
import dev.homelab.core.monitor.HostMonitor;
import dev.homelab.core.store.Storage;
import dev.homelab.server.ServerConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The metrics machinery: the downsampler over the store, the host monitor, and the collector
 * scheduler that feeds one into the other and publishes each host snapshot as {@code host.metrics}.
 *
 * <p>Only the leader of {@link Leadership#COLLECTORS} runs the collectors and the downsampler's
 * roll-ups and retention ({@link #job()}); the others read the watermarks the leader moves, at the
 * roll-up interval, so that their queries stay exact.
 */
final class Monitoring {

  private static final Logger LOG = LoggerFactory.getLogger(Monitoring.class);

  /** The topic of host snapshots. */
  static final String HOST_TOPIC = "host.metrics";

  final Downsampler downsampler;
  final HostMonitor monitor;
  final CollectorScheduler collectors;

  private final Vertx vertx;
  private final Leadership leadership;
  private final long followMillis;
  private long followTimer = -1;

  private Monitoring(
      Vertx vertx,
      Downsampler downsampler,
      HostMonitor monitor,
      CollectorScheduler collectors,
      Leadership leadership,
      long followMillis) {
    this.vertx = vertx;
    this.downsampler = downsampler;
    this.monitor = monitor;
    this.collectors = collectors;
    this.leadership = leadership;
    this.followMillis = followMillis;
  }

  /**
   * Creates the parts and loads the roll-up watermarks; nothing is collected or rolled up until
   * this instance leads.
   */
  static Future<Monitoring> open(
      Vertx vertx, ServerConfig config, Storage storage, Leadership leadership, Clock clock) {
    Downsampler downsampler =
        Downsampler.create(vertx, storage.metrics(), config.downsamplerOptions(), clock);
    HostMonitor monitor = HostMonitor.create(vertx);
    CollectorScheduler collectors = CollectorScheduler.create(vertx, downsampler).pause();
    Monitoring monitoring =
        new Monitoring(
            vertx,
            downsampler,
            monitor,
            collectors,
            leadership,
            config.downsamplerOptions().getRollupInterval().toMillis());
    return downsampler
        .refresh()
        .map(monitoring)
        .recover(failure -> monitoring.close().transform(v -> Future.failedFuture(failure)));
  }

  /**
   * Adds the host collector (if its interval is not zero) and starts following the leader's
   * watermarks; the collectors run only while this instance leads.
   */
  void startCollecting(ServerConfig config, EventHub events) {
    if (config.hostMetricsInterval().isZero()) {
      LOG.info("The host monitor is off (METRICS_INTERVAL_HOST=0)");
    } else {
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
    followTimer = vertx.setPeriodic(followMillis, id -> follow());
  }

  /**
   * @return the job the leader runs: the collectors and the roll-ups
   */
  LeaderJob job() {
    return new LeaderJob() {
      @Override
      public void start() {
        // start() reads the watermarks another leader may have moved; writes and roll-ups queue
        // behind that read, so the collectors may resume at once.
        downsampler
            .start()
            .onFailure(e -> LOG.warn("Could not read the metric watermarks: {}", e.toString()));
        collectors.resume();
      }

      @Override
      public void stop() {
        collectors.pause();
        downsampler.stop();
      }
    };
  }

  /** A follower reads the watermarks the leader moved, so that its queries stay exact. */
  private void follow() {
    if (!leadership.isLeader()) {
      downsampler
          .refresh()
          .onFailure(e -> LOG.debug("Could not read the metric watermarks: {}", e.toString()));
    }
  }

  /**
   * Stops following, lets the operation in flight finish, releases the monitor's thread. The
   * collectors role, and with it the job, is given up before: the leader jobs' close is on the
   * close-stack above this one, and a shutdown steps down first.
   */
  Future<Void> close() {
    vertx.cancelTimer(followTimer);
    return collectors.close().eventually(downsampler::close).eventually(monitor::close);
  }
}
