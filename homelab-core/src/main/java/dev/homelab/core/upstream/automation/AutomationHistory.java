package dev.homelab.core.upstream.automation;

import dev.homelab.core.NotFoundException;
import dev.homelab.core.ValidationException;
import dev.homelab.core.metrics.Downsampler;
import dev.homelab.core.metrics.MetricTableQuery;
import dev.homelab.core.metrics.MetricTableResult;
import dev.homelab.core.metrics.SeriesKey;
import dev.homelab.core.metrics.TimeRange;
import io.vertx.core.Future;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The collected history of the automations, read through the shared table query ({@link
 * Downsampler#query(MetricTableQuery)}) in the table of {@link AutomationSeries}. Reads only the
 * store: the history stays readable while the automation API is down.
 *
 * <p>An automation is known if the collector has seen it at least once within the retention ({@code
 * AUTOMATION_NOT_FOUND} otherwise). Thread-safe.
 */
public final class AutomationHistory {

  /** An automation or container name, as the automation client accepts one. */
  private static final Pattern NAME =
      Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*(/[A-Za-z0-9][A-Za-z0-9._-]*)*");

  private static final int MAX_NAME_LENGTH = 200;

  private final Downsampler downsampler;

  /**
   * @param downsampler where the collector wrote
   */
  public AutomationHistory(Downsampler downsampler) {
    this.downsampler = Objects.requireNonNull(downsampler, "downsampler");
  }

  /**
   * @param name the automation's name, such as {@code main/kitchen/motion_light}
   * @param range the range to read
   * @param maxPoints at most this many rows (LTTB along {@code triggers_count}); 0 for all
   * @return the automation's history, one row per bucket; failed with {@link NotFoundException} if
   *     it was never collected, {@link ValidationException} for a malformed name or a bad {@code
   *     maxPoints}
   */
  public Future<MetricTableResult> automation(String name, TimeRange range, int maxPoints) {
    if (name == null || name.length() > MAX_NAME_LENGTH || !NAME.matcher(name).matches()) {
      return Future.failedFuture(
          new ValidationException(
              "name",
              "an automation name: at most 200 of letters, digits, '.', '_', '-' and"
                  + " '/'-separated parts"));
    }
    SeriesKey triggers;
    try {
      triggers = AutomationSeries.series(AutomationSeries.TRIGGERS, name);
    } catch (ValidationException e) {
      // A valid name too long for a tag value was never collected.
      return Future.failedFuture(notFound(name));
    }
    MetricTableQuery query;
    try {
      query = MetricTableQuery.of(AutomationSeries.table(name), range).withMaxPoints(maxPoints);
    } catch (ValidationException e) {
      return Future.failedFuture(e);
    }
    return downsampler
        .series()
        .compose(
            all ->
                all.contains(triggers)
                    ? downsampler.query(query)
                    : Future.failedFuture(notFound(name)));
  }

  private static NotFoundException notFound(String name) {
    return new NotFoundException("AUTOMATION_NOT_FOUND", "no history of automation " + name);
  }
}
