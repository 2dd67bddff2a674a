/**
 * Metrics: time series of numbers, kept at full resolution for a while and rolled up into coarser
 * tiers (by default 1 minute, 5 minutes, 30 minutes and 1 hour) whose buckets keep count, sum, min,
 * max and last, so that averages and extremes stay exact at every tier.
 *
 * <p>A {@link dev.homelab.core.metrics.Downsampler} takes points, rolls them up incrementally from
 * a per-tier watermark (a crash or a replay never loses or double-counts a bucket), enforces each
 * tier's retention and answers queries from the finest tier that covers the range. It stores
 * through a {@link dev.homelab.core.metrics.MetricRepository}: in memory, or in one of the storage
 * adapters.
 *
 * <p>A {@link dev.homelab.core.metrics.MetricTable} names columns of series (one series, or a set
 * selected by name and tags and combined, such as every interface but loopback summed); {@link
 * dev.homelab.core.metrics.Downsampler#query(dev.homelab.core.metrics.MetricTableQuery)} reads it
 * over a {@link dev.homelab.core.metrics.TimeRange} into one row per bucket, the shape of the
 * metrics API's history answers.
 */
package dev.homelab.core.metrics;
