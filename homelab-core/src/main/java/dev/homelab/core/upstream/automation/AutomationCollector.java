package dev.homelab.core.upstream.automation;

import dev.homelab.core.metrics.Collector;
import dev.homelab.core.metrics.Point;
import dev.homelab.core.metrics.SeriesKey;
import io.vertx.core.Future;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The automations as a {@link Collector}: each run reads the automation API's list once and writes
 * every automation's trigger and error counts ({@link AutomationSeries}).
 *
 * <p>The list is read with the client's retries, so the scheduler does not retry a run again
 * ({@link #retries()} is 0) and gives it time for every retry ({@link #timeout()}). An automation
 * whose name cannot be a tag value, or that the API gives no count for, is left out.
 */
public final class AutomationCollector implements Collector {

  private static final Logger LOG = LoggerFactory.getLogger(AutomationCollector.class);

  /** The collector's name, in logs, stats and meters: {@value}. */
  public static final String NAME = "automations";

  /** The default interval: 5 seconds (seed 003). */
  public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(5);

  private final AutomationClient client;
  private final Duration interval;
  private final Duration timeout;
  private final Clock clock;

  /**
   * @param client the client of the automation API
   * @param interval how often
   * @param requestTimeout the client's timeout of one request ({@link
   *     AutomationOptions#getTimeout()}), from which a run's timeout follows
   * @param clock the time of the points
   */
  public AutomationCollector(
      AutomationClient client, Duration interval, Duration requestTimeout, Clock clock) {
    this.client = Objects.requireNonNull(client, "client");
    this.interval = Objects.requireNonNull(interval, "interval");
    // Every attempt of the list (the first and 3 retries) and the waits between them (1, 2, 4 s,
    // up to 25% more).
    this.timeout = requestTimeout.multipliedBy(4).plusSeconds(10);
    this.clock = Objects.requireNonNull(clock, "clock");
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
  public Duration timeout() {
    return timeout;
  }

  @Override
  public int retries() {
    return 0; // the client retries the list already
  }

  @Override
  public Future<List<Point>> collect() {
    return client
        .list()
        .map(
            list -> {
              long now = clock.millis();
              List<Point> points = new ArrayList<>();
              for (Automation automation : list.automations()) {
                String name =
                    automation.automationName() != null
                        ? automation.automationName()
                        : automation.containerName();
                SeriesKey triggers;
                SeriesKey errors;
                try {
                  triggers = AutomationSeries.series(AutomationSeries.TRIGGERS, name);
                  errors = AutomationSeries.series(AutomationSeries.ERRORS, name);
                } catch (RuntimeException e) {
                  LOG.debug("Automation {} is not collected: {}", name, e.getMessage());
                  continue;
                }
                if (automation.triggersCount() >= 0) {
                  points.add(new Point(triggers, now, automation.triggersCount()));
                }
                if (automation.errorsCount() >= 0) {
                  points.add(new Point(errors, now, automation.errorsCount()));
                }
              }
              return points;
            });
  }
}
