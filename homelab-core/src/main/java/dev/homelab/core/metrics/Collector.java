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
   * Collects once. A failed future (or one that does not complete within the {@link #timeout()}) is
   * retried with backoff, {@link #retries()} times.
   *
   * @return the points measured
   */
  Future<List<Point>> collect();

  /**
   * How long one attempt may take. A collector whose client retries its own requests (the upstream
   * clients' background reads) needs longer than the scheduler's default, or the scheduler would
   * give up on an attempt whose requests are still being retried.
   *
   * @return the attempt's timeout, or {@code null} (the default) for the scheduler's
   */
  default Duration timeout() {
    return null;
  }

  /**
   * How many times the scheduler retries a failed attempt. A collector whose client already retries
   * its requests answers 0, so that a dead upstream is not asked four times four times.
   *
   * @return {@link CollectorScheduler#RETRIES} by default; 0 to 10
   */
  default int retries() {
    return CollectorScheduler.RETRIES;
  }
}
