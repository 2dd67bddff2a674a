package dev.homelab.core.upstream.automation;

import dev.homelab.core.metrics.MetricTable;
import dev.homelab.core.metrics.MetricTable.Column;
import dev.homelab.core.metrics.MetricTable.Combine;
import dev.homelab.core.metrics.MetricTable.Statistic;
import dev.homelab.core.metrics.SeriesKey;
import dev.homelab.core.metrics.SeriesSelector;
import java.util.Map;

/**
 * The names of the automations' series and tag, declared once: {@link AutomationCollector} writes
 * them, {@link #table} reads them back in the shape of seed 003's {@code
 * /api/metrics/automation/{name}}.
 *
 * <p>The counts are the automation API's own, as it reports them (how often an automation triggered
 * and failed since its container started), so a row's value is the count at the end of its bucket.
 */
public final class AutomationSeries {

  private AutomationSeries() {}

  /** How often an automation triggered, as the automation API counts it. */
  public static final String TRIGGERS = "automation.triggers";

  /** How many errors an automation had, as the automation API counts them. */
  public static final String ERRORS = "automation.errors";

  /**
   * The tag of every series: the automation's name ({@code main/kitchen/motion_light}), or its
   * container's when the API gives no automation name.
   */
  public static final String AUTOMATION = "automation";

  /**
   * @param name {@link #TRIGGERS} or {@link #ERRORS}
   * @param automation the automation's name
   * @return the automation's series of that name
   * @throws dev.homelab.core.ValidationException if the name cannot be a tag value (longer than 128
   *     characters)
   */
  public static SeriesKey series(String name, String automation) {
    return SeriesKey.of(name, Map.of(AUTOMATION, automation));
  }

  /**
   * An automation's history in the shape of seed 003's {@code /api/metrics/automation/{name}}:
   * {@code triggers_count} and {@code errors_count}, each the last count of its bucket. Reductions
   * follow {@code triggers_count}.
   *
   * @param automation the automation's name
   * @return the table
   */
  public static MetricTable table(String automation) {
    return MetricTable.builder()
        .column(last("triggers_count", series(TRIGGERS, automation)))
        .column(last("errors_count", series(ERRORS, automation)))
        .primary("triggers_count")
        .build();
  }

  private static Column last(String name, SeriesKey series) {
    return new Column(name, SeriesSelector.of(series), Statistic.LAST, Combine.MAX);
  }
}
