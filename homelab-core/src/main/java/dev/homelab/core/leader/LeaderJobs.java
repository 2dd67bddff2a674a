package dev.homelab.core.leader;

import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The jobs that run while this instance leads one role: each is started, in the order added, when
 * the instance becomes the leader, and stopped, in reverse order, when it stops being the leader. A
 * job that throws is logged and the others still run.
 *
 * <p>It takes over the leadership's {@link Leadership#handler handler}. Add every job before {@link
 * #start()}. Whoever creates the jobs closes them; {@link #close()} closes the leadership, which
 * stops every job first.
 */
public final class LeaderJobs {

  private static final Logger log = LoggerFactory.getLogger(LeaderJobs.class);

  private record Named(String name, LeaderJob job) {}

  private final Leadership leadership;
  private final List<Named> jobs = new ArrayList<>();
  private boolean started;

  private LeaderJobs(Leadership leadership) {
    this.leadership = leadership;
  }

  /**
   * @param leadership the role the jobs run under; its handler becomes this object's
   * @return jobs with none added yet
   */
  public static LeaderJobs create(Leadership leadership) {
    return new LeaderJobs(Objects.requireNonNull(leadership, "leadership"));
  }

  /**
   * Adds a job.
   *
   * @param name what it is, for the log
   * @param job the job
   * @return this
   * @throws IllegalStateException after {@link #start()}
   */
  public LeaderJobs add(String name, LeaderJob job) {
    if (started) {
      throw new IllegalStateException("add every job before start()");
    }
    jobs.add(new Named(Objects.requireNonNull(name, "name"), Objects.requireNonNull(job, "job")));
    return this;
  }

  /**
   * @return the leadership the jobs run under
   */
  public Leadership leadership() {
    return leadership;
  }

  /**
   * Starts campaigning for the role.
   *
   * @return a future completed once the first attempt is over, won or not
   */
  public Future<Void> start() {
    started = true;
    leadership.handler(this::transition);
    return leadership.start();
  }

  /**
   * Gives the role up: every job is stopped, then the lock released.
   *
   * @return a future completed once the lock is released
   */
  public Future<Void> close() {
    return leadership.close();
  }

  private void transition(boolean leading) {
    if (leading) {
      for (Named named : jobs) {
        run(named, true);
      }
    } else {
      for (int i = jobs.size() - 1; i >= 0; i--) {
        run(jobs.get(i), false);
      }
    }
  }

  private static void run(Named named, boolean start) {
    try {
      if (start) {
        named.job().start();
      } else {
        named.job().stop();
      }
    } catch (RuntimeException e) {
      log.warn("Could not {} the job {}", start ? "start" : "stop", named.name(), e);
    }
  }
}
