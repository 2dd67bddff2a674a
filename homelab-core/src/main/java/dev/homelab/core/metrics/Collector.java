package dev.homelab.core.metrics;

import io.vertx.core.Future;
import java.time.Duration;
import java.util.List;

/**
 * Something a {@link CollectorScheduler} asks for points at a fixed interval: the host monitor, a
 * Proxmox server, an automation container.
 */
public interface Collector {

  /**
   * @return a short name for logs and counters, lower-case, for example {@code host}
   */
  String name();

  /**
   * @return how often to collect
   */
  Duration interval();

  /**
   * Collects once. A failed future (or one that does not complete within the scheduler's timeout)
   * is retried with backoff.
   *
   * @return the points measured
   */
  Future<List<Point>> collect();
}
