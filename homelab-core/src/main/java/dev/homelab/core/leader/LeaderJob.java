package dev.homelab.core.leader;

import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.Objects;

/**
 * Background work that runs on one instance only: started when this instance becomes the leader of
 * a role, stopped when it stops being the leader. {@link LeaderJobs} calls both on the leadership's
 * event loop, at each transition, before anything else runs there; they must not block.
 */
public interface LeaderJob {

  /** This instance now leads: start the work. */
  void start();

  /** This instance no longer leads (a lost lock, a step-down, a close): stop the work at once. */
  void stop();

  /**
   * A job that runs an action every {@code every} while this instance leads.
   *
   * @param vertx the Vert.x instance whose timer runs it
   * @param every the period
   * @param action what to run; must not block
   * @return the job
   */
  static LeaderJob periodic(Vertx vertx, Duration every, Runnable action) {
    Objects.requireNonNull(action, "action");
    return new LeaderJob() {
      private long timer = -1;

      @Override
      public void start() {
        if (timer < 0) {
          timer = vertx.setPeriodic(every.toMillis(), id -> action.run());
        }
      }

      @Override
      public void stop() {
        if (timer >= 0) {
          vertx.cancelTimer(timer);
          timer = -1;
        }
      }
    };
  }
}
