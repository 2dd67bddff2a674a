package dev.homelab.server.features;

import dev.homelab.core.leader.LeaderJob;
import dev.homelab.core.leader.LeaderJobs;
import dev.homelab.core.leader.Leadership;
import dev.homelab.core.store.Storage;
import dev.homelab.core.store.StorageKind;
import dev.homelab.core.store.redis.RedisLeaderLock;
import dev.homelab.server.ServerConfig;
import io.vertx.core.Future;
import io.vertx.redis.client.Redis;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The collectors role: of several instances sharing a store, one runs the leader-scoped jobs of
 * every feature (collectors, roll-ups, retention, housekeeping). A Redis lock with {@code
 * REDIS_URL}, else PostgreSQL's advisory lock; with SQLite every instance leads, as nothing is
 * shared. The jobs are added once every feature has started and run from {@link #startJobs}.
 */
public final class LeaderFeature implements Feature {

  private static final Logger log = LoggerFactory.getLogger(LeaderFeature.class);

  private final ServerContext context;
  private final StorageFeature storage;
  private final RedisFeature redis;
  private Leadership leadership;
  private LeaderJobs jobs;

  /**
   * @param context the server's context
   * @param storage the store, whose advisory lock elects without Redis
   * @param redis the Redis client, whose lock elects when configured
   */
  public LeaderFeature(ServerContext context, StorageFeature storage, RedisFeature redis) {
    this.context = context;
    this.storage = storage;
    this.redis = redis;
  }

  @Override
  public String name() {
    return "leader";
  }

  @Override
  public Future<Void> start(CloseStack opened) {
    leadership = leadership(context.config(), storage.storage(), redis.redis());
    jobs = LeaderJobs.create(leadership);
    // Closing the jobs stops them and gives up the role, which closes the leadership.
    opened.push("the collectors role", jobs::close);
    return Future.succeededFuture();
  }

  private Leadership leadership(ServerConfig config, Storage store, Redis client) {
    long ttl = config.leadershipOptions().getTtl().toSeconds();
    if (store.kind() == StorageKind.SQLITE) {
      // Nothing is shared between SQLite servers, even with a shared Redis: each one collects.
      return store.leadership(Leadership.COLLECTORS, config.leadershipOptions());
    }
    if (client != null) {
      RedisLeaderLock lock =
          new RedisLeaderLock(client, config.redisKeyPrefix(), Leadership.COLLECTORS);
      log.info(
          "Collectors run on one instance, elected with the Redis key {} (ttl {} s)",
          lock.key(),
          ttl);
      return Leadership.create(context.vertx(), lock, config.leadershipOptions());
    }
    log.info(
        "Collectors run on one instance, elected with a PostgreSQL advisory lock (ttl {} s)", ttl);
    return store.leadership(Leadership.COLLECTORS, config.leadershipOptions());
  }

  /**
   * Adds every feature's jobs, in feature order, and starts campaigning for the role.
   *
   * @param features the server's features
   * @param opened the server's close-stack
   * @return completes once this instance knows whether it leads
   */
  public Future<Void> startJobs(Iterable<Feature> features, CloseStack opened) {
    // Pushed again here, so that in reverse the role is given up (and every job stopped) before
    // any feature the jobs use closes; closing twice is harmless.
    opened.push("the leader jobs", jobs::close);
    for (Feature feature : features) {
      for (Map.Entry<String, LeaderJob> job : feature.leaderJobs().entrySet()) {
        jobs.add(job.getKey(), job.getValue());
      }
    }
    return jobs.start();
  }

  /**
   * Gives the role up at once, stopping every job, so that another instance takes over while this
   * one still answers during its shutdown.
   *
   * @return completes when given up
   */
  public Future<Void> stepDown() {
    return jobs == null ? Future.succeededFuture() : jobs.close();
  }

  /**
   * @return the collectors role
   */
  public Leadership leadership() {
    return leadership;
  }
}
