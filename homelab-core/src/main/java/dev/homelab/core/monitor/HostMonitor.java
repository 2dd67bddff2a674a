package dev.homelab.core.monitor;

import dev.homelab.core.monitor.impl.OshiHostMonitor;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/**
 * Reads the state of the host the JVM runs on, with OSHI, on a worker thread of its own.
 *
 * <p>CPU use and network rates are measured between two snapshots: the first snapshot measures from
 * when the monitor was created.
 */
public interface HostMonitor {

  /**
   * @param vertx the Vert.x instance whose worker pool runs the probes
   * @return a new monitor
   * @throws IllegalStateException if OSHI is not on the class path
   */
  static HostMonitor create(Vertx vertx) {
    return new OshiHostMonitor(vertx);
  }

  /**
   * Takes a snapshot. Snapshots run one at a time, off the event loop.
   *
   * @return the snapshot
   */
  Future<HostSnapshot> sample();

  /**
   * @return the last snapshot taken, or {@code null} before the first
   */
  HostSnapshot latest();

  /**
   * Releases the worker thread.
   *
   * @return a future completed when closed
   */
  Future<Void> close();
}
