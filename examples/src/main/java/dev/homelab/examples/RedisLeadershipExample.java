package dev.homelab.examples;

import dev.homelab.core.leader.LeaderJob;
import dev.homelab.core.leader.LeaderJobs;
import dev.homelab.core.leader.Leadership;
import dev.homelab.core.leader.LeadershipOptions;
import dev.homelab.core.store.redis.GuardedRedis;
import dev.homelab.core.store.redis.RedisLeaderLock;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Elects the leader of a role through a Redis that several instances share, with a client that does
 * not flood a Redis that went away: run it in two terminals against one Redis and only one ticks;
 * stop Redis for a while and the leader steps down (nobody leads while Redis is away), with about
 * one connection attempt per second from each instance; start Redis again and one leads.
 *
 * <p>The first argument is the Redis url, {@code redis://127.0.0.1:6379} by default.
 */
public final class RedisLeadershipExample {

  private RedisLeadershipExample() {}

  public static void main(String[] args) throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      String url = args.length > 0 ? args[0] : "redis://127.0.0.1:6379";
      run(vertx, url, "homelab-example:", Duration.ofSeconds(60), System.out::println);
    } finally {
      vertx.close().await();
    }
  }

  /**
   * Stays in the election for a while, ticking every second while it leads. Waits with {@code
   * await()}: call it from a plain or a virtual thread, never from an event loop.
   *
   * @param vertx the Vert.x instance
   * @param url the Redis url
   * @param keyPrefix the prefix of the lock's key, the same for every instance of one deployment
   * @param runFor how long to stay in the election
   * @param log where the lines go
   */
  static void run(
      Vertx vertx, String url, String keyPrefix, Duration runFor, Consumer<String> log) {
    // snippet:redis-leadership
    // After a failed connection, commands fail at once and one is tried per second.
    Redis redis =
        new GuardedRedis(
            vertx,
            Redis.createClient(vertx, new RedisOptions().setConnectionString(url)),
            Duration.ofSeconds(1));
    Leadership leadership =
        Leadership.create(
            vertx,
            new RedisLeaderLock(redis, keyPrefix, "example.redis"),
            new LeadershipOptions().setTtl(Duration.ofSeconds(3)));
    // end:redis-leadership
    // Ticks only while this instance leads.
    LeaderJobs jobs =
        LeaderJobs.create(leadership)
            .add(
                "tick", LeaderJob.periodic(vertx, Duration.ofSeconds(1), () -> log.accept("tick")));
    try {
      jobs.start().await();
      vertx.timer(runFor.toMillis(), TimeUnit.MILLISECONDS).await();
    } finally {
      jobs.close().await(); // releases the lock at once: another instance takes over
      redis.close().await();
    }
  }

  /**
   * Like {@link #run(Vertx, String, String, Duration, Consumer)} into a list.
   *
   * @return the lines logged
   */
  static List<String> run(Vertx vertx, String url, String keyPrefix, Duration runFor) {
    List<String> lines = new CopyOnWriteArrayList<>();
    run(vertx, url, keyPrefix, runFor, lines::add);
    return lines;
  }
}
