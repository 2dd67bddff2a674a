package dev.homelab.core.leader;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import java.time.Duration;

/**
 * A lock shared by several instances, which a {@link Leadership} campaigns for: the primitive
 * behind the role, such as a PostgreSQL advisory lock or a Redis key with an expiry.
 *
 * <p><b>Contract.</b> The leadership calls one method at a time, from its own context, and waits
 * for the returned future (or for its timeout, a third of the ttl) before the next call. An
 * implementation therefore needs no locking of its own. {@link #acquire} and {@link #renew} may be
 * called again after any outcome, including after {@link #release()}.
 */
public interface LeaderLock {

  /**
   * @return the name of the role this lock stands for, such as {@value Leadership#COLLECTORS}
   */
  String name();

  /**
   * Tries once to take the lock, without waiting for it.
   *
   * @param lease how long the lock outlives a holder that stops renewing it; a lock tied to a
   *     session (PostgreSQL's) may ignore it
   * @return {@code true} if this holder has the lock now, {@code false} if another one has it; a
   *     failed future if the backend could not be asked
   */
  Future<Boolean> acquire(Duration lease);

  /**
   * Checks that this holder still has the lock and extends its lease.
   *
   * @param lease the new lease, counted from now
   * @return {@code true} if this holder still has the lock; {@code false} or a failed future if it
   *     has lost it or cannot tell
   */
  Future<Boolean> renew(Duration lease);

  /**
   * Gives the lock up if this holder has it; does nothing otherwise.
   *
   * @return a future completed once released; a failed future if the backend could not be asked (a
   *     lease-based lock then expires on its own)
   */
  Future<Void> release();

  /**
   * Sets a handler to call when the lock is known to be lost between two renewals, for example when
   * the session holding it closed. The default ignores it: the next renewal finds out.
   *
   * @param handler the handler; it may be called on any thread
   * @return this lock
   */
  default LeaderLock lostHandler(Handler<Void> handler) {
    return this;
  }
}
