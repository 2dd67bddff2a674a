package dev.homelab.examples;

import dev.homelab.core.leader.LeaderJob;
import dev.homelab.core.leader.LeaderJobs;
import dev.homelab.core.leader.Leadership;
import dev.homelab.core.leader.LeadershipOptions;
import dev.homelab.core.store.Storage;
import dev.homelab.core.store.StorageOptions;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Runs a periodic job on one instance only, whatever the number of instances sharing the store: the
 * job runs while this instance leads the role {@code example.cleanup}.
 *
 * <p>On an SQLite file (the default) the instance is alone and always leads. Given a {@code
 * postgres://} url as the first argument, the role is a PostgreSQL advisory lock: run the example
 * in two terminals, and only one prints ticks; stop that one (Ctrl-C, or wait for it to finish) and
 * the other takes over within a couple of seconds.
 */
public final class LeadershipExample {

  private LeadershipExample() {}

  public static void main(String[] args) throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      StorageOptions options = ExampleStorage.fromArgs(args);
      run(vertx, options, Duration.ofSeconds(1), Duration.ofSeconds(30), System.out::println);
    } finally {
      vertx.close().await();
    }
  }

  /**
   * Leads the role for a while, ticking while it leads. Waits with {@code await()}: call it from a
   * plain or a virtual thread, never from an event loop.
   *
   * @param vertx the Vert.x instance
   * @param options the store whose instances elect a leader
   * @param every how often the job ticks
   * @param runFor how long to stay in the election
   * @param log where the lines go
   */
  static void run(
      Vertx vertx, StorageOptions options, Duration every, Duration runFor, Consumer<String> log) {
    Storage storage = Storage.open(vertx, options).await();
    try {
      // snippet:leadership
      Leadership leadership =
          storage.leadership(
              "example.cleanup", new LeadershipOptions().setTtl(Duration.ofSeconds(6)));
      // Started in order when this instance becomes the leader, stopped in reverse when it stops
      // being it, on the leadership's event loop, before anything else runs there.
      LeaderJobs jobs =
          LeaderJobs.create(leadership)
              .add(
                  "announce",
                  new LeaderJob() {
                    @Override
                    public void start() {
                      log.accept("leading: the job starts");
                    }

                    @Override
                    public void stop() {
                      log.accept("not leading: the job stops");
                    }
                  })
              .add("tick", LeaderJob.periodic(vertx, every, () -> log.accept("tick")));
      jobs.start().await(); // once the first attempt is over, won or not
      vertx.timer(runFor.toMillis(), TimeUnit.MILLISECONDS).await();
      jobs.close().await(); // releases the role at once: another instance takes over
      // end:leadership
    } finally {
      storage.close().await();
    }
  }

  /**
   * Like {@link #run(Vertx, StorageOptions, Duration, Duration, Consumer)} into a list.
   *
   * @param vertx the Vert.x instance
   * @param options the store whose instances elect a leader
   * @param every how often the job ticks
   * @param runFor how long to stay in the election
   * @return the lines logged
   */
  static List<String> run(Vertx vertx, StorageOptions options, Duration every, Duration runFor) {
    List<String> lines = new CopyOnWriteArrayList<>();
    run(vertx, options, every, runFor, lines::add);
    return lines;
  }
}
