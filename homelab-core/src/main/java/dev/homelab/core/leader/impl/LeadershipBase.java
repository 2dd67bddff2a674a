package dev.homelab.core.leader.impl;

import dev.homelab.core.HomelabException;
import dev.homelab.core.leader.Leadership;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every leadership shares: its context, the leader flag, the handler and the INFO lines of its
 * transitions.
 */
abstract class LeadershipBase implements Leadership {

  private static final Logger LOG = LoggerFactory.getLogger(LeadershipBase.class);

  final Vertx vertx;
  final Context context;
  private final String name;
  private volatile boolean leader;
  private volatile Handler<Boolean> handler;

  LeadershipBase(Vertx vertx, String name) {
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.name = Objects.requireNonNull(name, "name");
    this.context = vertx.getOrCreateContext();
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public boolean isLeader() {
    return leader;
  }

  @Override
  public Leadership handler(Handler<Boolean> handler) {
    this.handler = handler;
    return this;
  }

  /** Becomes the leader and tells the handler; on the context. */
  void elect(String how) {
    leader = true;
    LOG.info("Leading {} ({})", name, how);
    tell(true);
  }

  /** Stops being the leader and tells the handler; on the context. */
  void depose(String why) {
    leader = false;
    LOG.info("No longer leading {}: {}", name, why);
    tell(false);
  }

  private void tell(boolean leading) {
    Handler<Boolean> current = handler;
    if (current != null) {
      try {
        current.handle(leading);
      } catch (RuntimeException e) {
        LOG.error("The handler of leadership {} failed", name, e);
      }
    }
  }

  /** Runs an action on the context: now if already there, else as the context's next task. */
  void onContext(Runnable action) {
    if (Vertx.currentContext() == context) {
      action.run();
    } else {
      context.runOnContext(v -> action.run());
    }
  }

  static <T> Future<T> closedFailure() {
    return Future.failedFuture(new HomelabException("the leadership is closed", true));
  }
}
