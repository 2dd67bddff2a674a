package dev.homelab.server;

import dev.homelab.core.events.EventHub;
import dev.homelab.core.leader.LeaderJob;
import dev.homelab.core.leader.LeaderJobs;
import dev.homelab.core.leader.Leadership;
import dev.homelab.core.metrics.CollectorScheduler;
import dev.homelab.core.metrics.Downsampler;
import dev.homelab.core.monitor.HostCollector;
import dev.homelab.core.monitor.HostMonitor;
import dev.homelab.core.store.Storage;
import dev.homelab.core.store.StorageKind;
import dev.homelab.core.store.redis.RedisLeaderLock;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's metrics machinery: the downsampler over the store, the host monitor, and the
 * collector scheduler that feeds one into the other and publishes each host snapshot as {@code
 * host.metrics}.
 *
 * <p>Of several instances sharing a store, only the leader of {@link Leadership#COLLECTORS} runs
 * the collectors and the downsampler's roll-ups and retention; the others read the watermarks the
 * leader moves, at the roll-up interval, so that their queries stay exact.
 */
final class Monitoring {

  private static final Logger LOG = LoggerFactory.getLogger(Monitoring.class);

  /** The topic of host snapshots. */
  static final String HOST_TOPIC = "host.metrics";

  final Downsampler downsampler;
  final HostMonitor monitor;
  final CollectorScheduler collectors;
  final Leadership leadership;

  /** What runs while this instance leads: the collectors and roll-ups first, then other jobs. */
  private final LeaderJobs jobs;

  private final Vertx vertx;
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
    this.jobs =
        LeaderJobs.create(leadership)
            .add(
                "collectors and roll-ups",
                new LeaderJob() {
                  @Override
                  public void start() {
                    leadCollectors(true);
                  }

                  @Override
                  public void stop() {
                    leadCollectors(false);
                  }
                });
  }

  /**
   * Creates the parts and loads the roll-up watermarks; nothing is collected or rolled up until
   * {@link #startCollecting} and this instance leads.
   */
  static Future<Monitoring> open(
      Vertx vertx, ServerConfig config, Storage storage, Redis redis, Clock clock) {
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
            leadership(vertx, config, storage, redis),
            config.downsamplerOptions().getRollupInterval().toMillis());
    return downsampler
        .refresh()
        .map(monitoring)
        .recover(failure -> monitoring.close().transform(v -> Future.failedFuture(failure)));
  }

  /** None on SQLite; else a Redis lock with {@code REDIS_URL}, or PostgreSQL's advisory lock. */
  private static Leadership leadership(
      Vertx vertx, ServerConfig config, Storage storage, Redis redis) {
    long ttl = config.leadershipOptions().getTtl().toSeconds();
    if (storage.kind() == StorageKind.SQLITE) {
      // Nothing is shared between SQLite servers, even with a shared Redis: each one collects.
      return storage.leadership(Leadership.COLLECTORS, config.leadershipOptions());
    }
    if (redis != null) {
      RedisLeaderLock lock =
          new RedisLeaderLock(redis, config.redisKeyPrefix(), Leadership.COLLECTORS);
      LOG.info(
          "Collectors run on one instance, elected with the Redis key {} (ttl {} s)",
          lock.key(),
          ttl);
      return Leadership.create(vertx, lock, config.leadershipOptions());
    }
    if (storage.kind() == StorageKind.POSTGRESQL) {
      LOG.info(
          "Collectors run on one instance, elected with a PostgreSQL advisory lock (ttl {} s)",
          ttl);
    }
    return storage.leadership(Leadership.COLLECTORS, config.leadershipOptions());
  }

  /**
   * Adds the host collector (if its interval is not zero) and starts campaigning for the role.
   *
   * @return a future completed once this instance knows whether it leads
   */
  Future<Void> startCollecting(ServerConfig config, EventHub events) {
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
    return jobs.start();
  }

  /**
   * Adds a job that runs on one instance only, after the collectors and roll-ups; call it before
   * {@link #startCollecting}.
   *
   * @param name what it is, for the log
   * @param job the job
   */
  void addLeaderJob(String name, LeaderJob job) {
    jobs.add(name, job);
  }

  private void leadCollectors(boolean leading) {
    if (leading) {
      // start() reads the watermarks another leader may have moved; writes and roll-ups queue
      // behind that read, so the collectors may resume at once.
      downsampler
          .start()
          .onFailure(e -> LOG.warn("Could not read the metric watermarks: {}", e.toString()));
      collectors.resume();
    } else {
      collectors.pause();
      downsampler.stop();
    }
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
   * Gives the role up at once, which stops collecting and rolling up, so that another instance can
   * take over while this one still answers queries during its shutdown.
   */
  Future<Void> stepDown() {
    vertx.cancelTimer(followTimer);
    return jobs.close();
  }

  /**
   * Gives the role up (which stops collecting and rolling up at once), lets the operation in flight
   * finish, releases the monitor's thread.
   */
  Future<Void> close() {
    vertx.cancelTimer(followTimer);
    return jobs.close()
        .eventually(collectors::close)
        .eventually(downsampler::close)
        .eventually(monitor::close);
  }
}
