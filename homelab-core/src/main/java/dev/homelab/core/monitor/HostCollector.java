package dev.homelab.core.monitor;

import dev.homelab.core.metrics.Collector;
import dev.homelab.core.metrics.Point;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The host as a {@link Collector}: each run takes a {@link HostSnapshot}, hands it to an optional
 * listener (the server publishes it as {@code host.metrics}) and returns its points.
 */
public final class HostCollector implements Collector {

  /** The collector's name, in logs, stats and meters: {@value}. */
  public static final String NAME = "host";

  /** The default interval: 2 seconds, as the dashboard of seed 001 refreshes. */
  public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(2);

  private final HostMonitor monitor;
  private final Duration interval;
  private final Handler<HostSnapshot> listener;

  /**
   * @param monitor the monitor to sample
   * @param interval how often
   * @param listener called with each snapshot, or {@code null}
   */
  public HostCollector(HostMonitor monitor, Duration interval, Handler<HostSnapshot> listener) {
    this.monitor = Objects.requireNonNull(monitor, "monitor");
    this.interval = Objects.requireNonNull(interval, "interval");
    this.listener = listener;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Duration interval() {
    return interval;
  }

  @Override
  public Future<List<Point>> collect() {
    return monitor
        .sample()
        .map(
            snapshot -> {
              if (listener != null) {
                listener.handle(snapshot);
              }
              return snapshot.toPoints();
            });
  }
}
