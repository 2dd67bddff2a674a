package dev.homelab.core.telemetry;

import dev.homelab.core.metrics.DownsamplerOptions;
import java.time.Duration;

/**
 * Options of a {@link SensorIngest}: the time window readings are accepted in, and the bounds of
 * its group commit.
 *
 * <p><b>The time window.</b> A reading becomes history only if the metrics {@link
 * DownsamplerOptions#getLateness() lateness} still lets its point in when the {@link
 * SensorCollector} brings it to the tiers, a few seconds after its commit. So a reading is accepted
 * if it is at most {@link #pastWindow()} old, the lateness less a margin for that delivery ({@link
 * #getFeedMargin()}, at most half the lateness): 90 seconds with the defaults (2 minutes less 30
 * seconds). It may be at most {@link #getMaxFutureSkew()} ahead of this server's clock (10 seconds,
 * at most the lateness), for a sensor whose clock runs a little fast.
 */
public class SensorIngestOptions {

  /** How long the collector may take to bring a committed reading to the tiers: 30 seconds. */
  public static final Duration DEFAULT_FEED_MARGIN = Duration.ofSeconds(30);

  /** How far ahead of the server's clock a reading may be: 10 seconds. */
  public static final Duration DEFAULT_MAX_FUTURE_SKEW = Duration.ofSeconds(10);

  /**
   * The most readings waiting for their commit: {@value}. Past it, calls are refused ({@code
   * INGEST_BUSY}, 429 over HTTP) until the store catches up, rather than queued without bound.
   */
  public static final int DEFAULT_MAX_PENDING = 20_000;

  /** The most readings committed in one transaction: {@value}. */
  public static final int DEFAULT_MAX_BATCH = 5_000;

  /**
   * How many commits may be in flight at once: {@value}. SQLite gains nothing from more than one;
   * PostgreSQL answers sooner with a few.
   */
  public static final int DEFAULT_MAX_CONCURRENT_COMMITS = 1;

  /** How long a device's owner is remembered between calls: 30 seconds. */
  public static final Duration DEFAULT_DEVICE_CACHE_TTL = Duration.ofSeconds(30);

  private Duration lateness = DownsamplerOptions.DEFAULT_LATENESS;
  private Duration feedMargin = DEFAULT_FEED_MARGIN;
  private Duration maxFutureSkew = DEFAULT_MAX_FUTURE_SKEW;
  private int maxPending = DEFAULT_MAX_PENDING;
  private int maxBatch = DEFAULT_MAX_BATCH;
  private int maxConcurrentCommits = DEFAULT_MAX_CONCURRENT_COMMITS;
  private Duration deviceCacheTtl = DEFAULT_DEVICE_CACHE_TTL;

  /** Creates options with the defaults. */
  public SensorIngestOptions() {}

  /**
   * Copies other options.
   *
   * @param other the options to copy
   */
  public SensorIngestOptions(SensorIngestOptions other) {
    this.lateness = other.lateness;
    this.feedMargin = other.feedMargin;
    this.maxFutureSkew = other.maxFutureSkew;
    this.maxPending = other.maxPending;
    this.maxBatch = other.maxBatch;
    this.maxConcurrentCommits = other.maxConcurrentCommits;
    this.deviceCacheTtl = other.deviceCacheTtl;
  }

  /**
   * @return how old a reading may be: the lateness less the feed margin (at most half the lateness)
   */
  public Duration pastWindow() {
    Duration margin =
        feedMargin.compareTo(lateness.dividedBy(2)) > 0 ? lateness.dividedBy(2) : feedMargin;
    return lateness.minus(margin);
  }

  /**
   * @return the metrics lateness the window follows
   */
  public Duration getLateness() {
    return lateness;
  }

  /**
   * @param lateness the metrics lateness, as in the {@link DownsamplerOptions} of the downsampler
   *     the readings are fed to
   * @return these options
   */
  public SensorIngestOptions setLateness(Duration lateness) {
    if (lateness == null || lateness.isNegative()) {
      throw new IllegalArgumentException("lateness must not be negative");
    }
    this.lateness = lateness;
    return this;
  }

  /**
   * @return the time left for the collector to bring a reading to the tiers
   */
  public Duration getFeedMargin() {
    return feedMargin;
  }

  /**
   * @param feedMargin zero or more
   * @return these options
   */
  public SensorIngestOptions setFeedMargin(Duration feedMargin) {
    if (feedMargin == null || feedMargin.isNegative()) {
      throw new IllegalArgumentException("the feed margin must not be negative");
    }
    this.feedMargin = feedMargin;
    return this;
  }

  /**
   * @return how far ahead of the server's clock a reading may be; at most the lateness
   */
  public Duration getMaxFutureSkew() {
    return maxFutureSkew.compareTo(lateness) > 0 ? lateness : maxFutureSkew;
  }

  /**
   * @param skew zero or more
   * @return these options
   */
  public SensorIngestOptions setMaxFutureSkew(Duration skew) {
    if (skew == null || skew.isNegative()) {
      throw new IllegalArgumentException("the future skew must not be negative");
    }
    this.maxFutureSkew = skew;
    return this;
  }

  /**
   * @return the most readings waiting for their commit
   */
  public int getMaxPending() {
    return maxPending;
  }

  /**
   * @param maxPending at least {@link SensorReadings#MAX_BATCH}, so that one full call always fits
   * @return these options
   */
  public SensorIngestOptions setMaxPending(int maxPending) {
    if (maxPending < SensorReadings.MAX_BATCH) {
      throw new IllegalArgumentException("maxPending must be at least " + SensorReadings.MAX_BATCH);
    }
    this.maxPending = maxPending;
    return this;
  }

  /**
   * @return the most readings in one commit
   */
  public int getMaxBatch() {
    return maxBatch;
  }

  /**
   * @param maxBatch at least 1 (a call's readings always commit together, even past it)
   * @return these options
   */
  public SensorIngestOptions setMaxBatch(int maxBatch) {
    if (maxBatch < 1) {
      throw new IllegalArgumentException("maxBatch must be at least 1");
    }
    this.maxBatch = maxBatch;
    return this;
  }

  /**
   * @return how many commits may be in flight at once
   */
  public int getMaxConcurrentCommits() {
    return maxConcurrentCommits;
  }

  /**
   * @param commits 1 to 16
   * @return these options
   */
  public SensorIngestOptions setMaxConcurrentCommits(int commits) {
    if (commits < 1 || commits > 16) {
      throw new IllegalArgumentException("maxConcurrentCommits must be 1 to 16");
    }
    this.maxConcurrentCommits = commits;
    return this;
  }

  /**
   * @return how long a device's owner is remembered
   */
  public Duration getDeviceCacheTtl() {
    return deviceCacheTtl;
  }

  /**
   * @param ttl zero (no cache) or more
   * @return these options
   */
  public SensorIngestOptions setDeviceCacheTtl(Duration ttl) {
    if (ttl == null || ttl.isNegative()) {
      throw new IllegalArgumentException("the device cache TTL must not be negative");
    }
    this.deviceCacheTtl = ttl;
    return this;
  }
}
