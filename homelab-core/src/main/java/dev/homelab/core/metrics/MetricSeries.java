package dev.homelab.core.metrics;

import java.util.List;

/**
 * The answer to a {@link MetricQuery}.
 *
 * @param series the series
 * @param tier the tier the buckets come from
 * @param from the start of the range read, inclusive
 * @param to the end of the range read, exclusive
 * @param buckets the buckets, oldest first (raw points as buckets of one); unmodifiable
 */
public record MetricSeries(SeriesKey series, Tier tier, long from, long to, List<Bucket> buckets) {

  /** Copies the buckets. */
  public MetricSeries {
    buckets = List.copyOf(buckets);
  }
}
