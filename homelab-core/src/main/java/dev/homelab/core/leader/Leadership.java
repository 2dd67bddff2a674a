package dev.homelab.core.leader;

import dev.homelab.core.leader.impl.AlwaysLeadership;
import dev.homelab.core.leader.impl.LeadershipImpl;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;

/**
 * One named role that at most one instance holds at a time: the instance that holds it is the
 * leader, the others are followers, ready to take over.
 *
 * <p>{@link #create(Vertx, LeaderLock, LeadershipOptions)} campaigns for a {@link LeaderLock}: a
 * follower tries to take it every third of the {@linkplain LeadershipOptions#getTtl() ttl}; the
 * leader renews it as often, and steps down at once when a renewal fails, times out or finds the
 * lock lost, or when a whole ttl has passed since the last renewal that succeeded (counted from
 * when it was sent). Stepping down releases the lock, so that another instance can take it, and the
 * instance that stepped down sits out one ttl before it tries again, so that a healthier one takes
 * over rather than the same one flapping. Failures of the lock's backend are never raised: they
 * make this instance a follower until the backend answers again.
 *
 * <p><b>Threading.</b> A leadership runs on the Vert.x context current when it was created (a new
 * event-loop context if there was none): its {@link #handler(Handler) handler} is called there, one
 * transition at a time, and nothing else of the leadership runs between a loss being detected and
 * the handler being called with {@code false}. {@link #isLeader()} may be read from any thread.
 *
 * <p><b>Ownership.</b> Whoever creates a leadership closes it; {@link #close()} releases the lock
 * at once rather than letting it expire, so a follower elsewhere takes over within a third of the
 * ttl.
 */
public interface Leadership {

  /** The role of the server's background collectors, metric roll-ups and retention: {@value}. */
  String COLLECTORS = "homelab.collectors";

  /**
   * Creates the leadership of an instance that is alone (SQLite, or a single server): {@link
   * #start()} makes it the leader at once, and it stays the leader until closed.
   *
   * @param vertx the Vert.x instance whose context calls the handler
   * @param name the role's name, for logs
   * @return a new leadership, not started
   */
  static Leadership always(Vertx vertx, String name) {
    return new AlwaysLeadership(vertx, name);
  }

  /**
   * Like {@link #create(Vertx, LeaderLock, LeadershipOptions)} with default options.
   *
   * @param vertx the Vert.x instance for timers
   * @param lock the lock to campaign for
   * @return a new leadership, not started
   */
  static Leadership create(Vertx vertx, LeaderLock lock) {
    return create(vertx, lock, new LeadershipOptions());
  }

  /**
   * Creates a leadership that campaigns for a lock shared by every instance.
   *
   * @param vertx the Vert.x instance for timers
   * @param lock the lock to campaign for; this leadership is its only user
   * @param options the timing; copied
   * @return a new leadership, not started
   */
  static Leadership create(Vertx vertx, LeaderLock lock, LeadershipOptions options) {
    return new LeadershipImpl(vertx, lock, new LeadershipOptions(options));
  }

  /**
   * @return the role's name (for a lock-based leadership, the lock's {@link LeaderLock#name()})
   */
  String name();

  /**
   * @return {@code true} while this instance holds the role
   */
  boolean isLeader();

  /**
   * Sets the handler of transitions: called with {@code true} when this instance becomes the
   * leader, with {@code false} when it stops being the leader (a lost lock, or {@link #close()}).
   * Set it before {@link #start()}.
   *
   * @param handler the handler, called on this leadership's context
   * @return this leadership
   */
  Leadership handler(Handler<Boolean> handler);

  /**
   * Starts campaigning for the role.
   *
   * @return a future completed once the first attempt is over, whatever its outcome ({@link
   *     #isLeader()} tells); never failed, except after {@link #close()}
   */
  Future<Void> start();

  /**
   * Stops campaigning: if this instance leads, calls the handler with {@code false}, then releases
   * the lock.
   *
   * @return a future completed once the lock is released (or its release failed: the lock then
   *     expires on its own)
   */
  Future<Void> close();
}
