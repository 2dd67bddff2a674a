package dev.homelab.core.leader.impl;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

/** The leadership of an instance that is alone: leader from start to close. */
public final class AlwaysLeadership extends LeadershipBase {

  private boolean started; // on the context
  private boolean closed; // on the context

  public AlwaysLeadership(Vertx vertx, String name) {
    super(vertx, name);
  }

  @Override
  public Future<Void> start() {
    Promise<Void> done = Promise.promise();
    onContext(
        () -> {
          if (closed) {
            done.handle(closedFailure());
            return;
          }
          if (!started) {
            started = true;
            elect("single instance, no lock needed");
          }
          done.complete();
        });
    return done.future();
  }

  @Override
  public Future<Void> close() {
    Promise<Void> done = Promise.promise();
    onContext(
        () -> {
          if (!closed) {
            closed = true;
            if (isLeader()) {
              depose("closed");
            }
          }
          done.complete();
        });
    return done.future();
  }
}
