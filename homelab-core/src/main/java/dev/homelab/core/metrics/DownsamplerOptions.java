package dev.homelab.core.metrics;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Options of a {@link Downsampler}: the tiers and their retention, how late a point may arrive, and
 * how often roll-ups and retention run.
 */
public class DownsamplerOptions {

  /**
   * The default tiers (seed 003): raw kept 1 hour, 1-minute buckets kept 24 hours, 5-minute kept 7
   * days, 30-minute kept 30 days, 1-hour kept 365 days.
   */
  public static final List<Tier> DEFAULT_TIERS =
      List.of(
          new Tier("raw", Duration.ZERO, Duration.ofHours(1)),
          new Tier("1m", Duration.ofMinutes(1), Duration.ofHours(24)),
          new Tier("5m", Duration.ofMinutes(5), Duration.ofDays(7)),
          new Tier("30m", Duration.ofMinutes(30), Duration.ofDays(30)),
          new Tier("1h", Duration.ofHours(1), Duration.ofDays(365)));

  /** How late a point may arrive by default: 2 minutes. */
  public static final Duration DEFAULT_LATENESS = Duration.ofMinutes(2);

  /** How often roll-ups run by default: every 10 seconds. */
  public static final Duration DEFAULT_ROLLUP_INTERVAL = Duration.ofSeconds(10);

  /** How often retention runs by default: every minute. */
  public static final Duration DEFAULT_RETENTION_INTERVAL = Duration.ofMinutes(1);

  /** How many rows one retention batch deletes at most by default: 10,000. */
  public static final int DEFAULT_RETENTION_BATCH_SIZE = 10_000;

  /** How many buckets of the target tier one roll-up step writes at most by default: 1,440. */
  public static final int DEFAULT_MAX_ROLLUP_BUCKETS = 1_440;

  private List<Tier> tiers = DEFAULT_TIERS;
  private Duration lateness = DEFAULT_LATENESS;
  private Duration rollupInterval = DEFAULT_ROLLUP_INTERVAL;
  private Duration retentionInterval = DEFAULT_RETENTION_INTERVAL;
  private int retentionBatchSize = DEFAULT_RETENTION_BATCH_SIZE;
  private int maxRollupBuckets = DEFAULT_MAX_ROLLUP_BUCKETS;
  private Map<String, Map<String, Duration>> seriesRetention = Map.of();

  /** Creates options with the defaults. */
  public DownsamplerOptions() {}

  /**
   * Copies other options.
   *
   * @param other the options to copy
   */
  public DownsamplerOptions(DownsamplerOptions other) {
    this.tiers = other.tiers;
    this.lateness = other.lateness;
    this.rollupInterval = other.rollupInterval;
    this.retentionInterval = other.retentionInterval;
    this.retentionBatchSize = other.retentionBatchSize;
    this.maxRollupBuckets = other.maxRollupBuckets;
    this.seriesRetention = other.seriesRetention;
  }

  /**
   * Reads options from JSON with the keys of {@link #toJson()}; durations are ISO-8601 ({@code
   * PT2M}).
   *
   * @param json the options as JSON
   */
  public DownsamplerOptions(JsonObject json) {
    JsonArray tierArray = json.getJsonArray("tiers");
    if (tierArray != null) {
      List<Tier> read = new ArrayList<>();
      for (int i = 0; i < tierArray.size(); i++) {
        JsonObject t = tierArray.getJsonObject(i);
        read.add(
            new Tier(
                t.getString("name"),
                Duration.parse(t.getString("bucket")),
                Duration.parse(t.getString("retention"))));
      }
      setTiers(read);
    }
    setLateness(Duration.parse(json.getString("lateness", DEFAULT_LATENESS.toString())));
    setRollupInterval(
        Duration.parse(json.getString("rollupInterval", DEFAULT_ROLLUP_INTERVAL.toString())));
    setRetentionInterval(
        Duration.parse(json.getString("retentionInterval", DEFAULT_RETENTION_INTERVAL.toString())));
    setRetentionBatchSize(json.getInteger("retentionBatchSize", DEFAULT_RETENTION_BATCH_SIZE));
    setMaxRollupBuckets(json.getInteger("maxRollupBuckets", DEFAULT_MAX_ROLLUP_BUCKETS));
    JsonObject overrides = json.getJsonObject("seriesRetention", new JsonObject());
    for (String name : overrides.fieldNames()) {
      JsonObject perTier = overrides.getJsonObject(name);
      for (String tier : perTier.fieldNames()) {
        setSeriesRetention(name, tier, Duration.parse(perTier.getString(tier)));
      }
    }
  }

  /**
   * @return the tiers, finest first, raw first; default {@link #DEFAULT_TIERS}
   */
  public List<Tier> getTiers() {
    return tiers;
  }

  /**
   * Sets the tiers.
   *
   * @param tiers the raw tier first, then tiers of growing bucket width, each width a multiple of
   *     the one before; names distinct
   * @return these options
   * @throws IllegalArgumentException if the tiers break those rules
   */
  public DownsamplerOptions setTiers(List<Tier> tiers) {
    if (tiers == null || tiers.size() < 2 || !tiers.get(0).isRaw()) {
      throw new IllegalArgumentException("tiers must start with a raw tier and have a rolled one");
    }
    for (int i = 1; i < tiers.size(); i++) {
      long width = tiers.get(i).bucketMillis();
      long previous = tiers.get(i - 1).bucketMillis();
      if (width <= previous || (previous > 0 && width % previous != 0)) {
        throw new IllegalArgumentException(
            "tier " + tiers.get(i).name() + ": buckets must be a multiple of the finer tier's");
      }
      for (int j = 0; j < i; j++) {
        if (tiers.get(j).name().equals(tiers.get(i).name())) {
          throw new IllegalArgumentException("tier names must be distinct");
        }
      }
    }
    this.tiers = List.copyOf(tiers);
    return this;
  }

  /**
   * @param name a tier's name
   * @param retention how long that tier keeps data
   * @return these options
   * @throws IllegalArgumentException if no tier has that name
   */
  public DownsamplerOptions setRetention(String name, Duration retention) {
    List<Tier> changed = new ArrayList<>(tiers);
    changed.set(indexOf(name), tiers.get(indexOf(name)).withRetention(retention));
    return setTiers(changed);
  }

  /**
   * @return how late a point may arrive (behind the current time) and still be folded into its
   *     buckets; default {@link #DEFAULT_LATENESS}
   */
  public Duration getLateness() {
    return lateness;
  }

  /**
   * @param lateness zero or more, less than the raw tier's retention
   * @return these options
   * @throws IllegalArgumentException if negative
   */
  public DownsamplerOptions setLateness(Duration lateness) {
    if (lateness == null || lateness.isNegative()) {
      throw new IllegalArgumentException("lateness must not be negative");
    }
    this.lateness = lateness;
    return this;
  }

  /**
   * @return how often {@link Downsampler#start()} rolls up; default {@link
   *     #DEFAULT_ROLLUP_INTERVAL}
   */
  public Duration getRollupInterval() {
    return rollupInterval;
  }

  /**
   * @param interval at least one millisecond
   * @return these options
   * @throws IllegalArgumentException if shorter
   */
  public DownsamplerOptions setRollupInterval(Duration interval) {
    this.rollupInterval = positive("rollupInterval", interval);
    return this;
  }

  /**
   * @return how often {@link Downsampler#start()} enforces retention; default {@link
   *     #DEFAULT_RETENTION_INTERVAL}
   */
  public Duration getRetentionInterval() {
    return retentionInterval;
  }

  /**
   * @param interval at least one millisecond
   * @return these options
   * @throws IllegalArgumentException if shorter
   */
  public DownsamplerOptions setRetentionInterval(Duration interval) {
    this.retentionInterval = positive("retentionInterval", interval);
    return this;
  }

  /**
   * @return the most rows one retention batch deletes; default {@value
   *     #DEFAULT_RETENTION_BATCH_SIZE}
   */
  public int getRetentionBatchSize() {
    return retentionBatchSize;
  }

  /**
   * @param size 1 to 1,000,000
   * @return these options
   * @throws IllegalArgumentException if out of range
   */
  public DownsamplerOptions setRetentionBatchSize(int size) {
    if (size < 1 || size > 1_000_000) {
      throw new IllegalArgumentException("retentionBatchSize must be 1 to 1000000");
    }
    this.retentionBatchSize = size;
    return this;
  }

  /**
   * @return the most target buckets one roll-up step writes (per tier, across series); default
   *     {@value #DEFAULT_MAX_ROLLUP_BUCKETS}
   */
  public int getMaxRollupBuckets() {
    return maxRollupBuckets;
  }

  /**
   * @param buckets 1 to 100,000
   * @return these options
   * @throws IllegalArgumentException if out of range
   */
  public DownsamplerOptions setMaxRollupBuckets(int buckets) {
    if (buckets < 1 || buckets > 100_000) {
      throw new IllegalArgumentException("maxRollupBuckets must be 1 to 100000");
    }
    this.maxRollupBuckets = buckets;
    return this;
  }

  /**
   * @return per series name, per tier name, a retention that replaces the tier's; unmodifiable
   */
  public Map<String, Map<String, Duration>> getSeriesRetention() {
    return seriesRetention;
  }

  /**
   * Keeps one series (every tag combination of a name) longer or shorter than its tier says.
   *
   * @param seriesName a series name, such as {@code host.cpu}
   * @param tierName a tier's name
   * @param retention how long that tier keeps that series
   * @return these options
   * @throws IllegalArgumentException if no tier has that name or the retention is not positive
   */
  public DownsamplerOptions setSeriesRetention(
      String seriesName, String tierName, Duration retention) {
    SeriesKey.of(seriesName); // validates the name
    indexOf(tierName);
    positive("retention", retention);
    Map<String, Map<String, Duration>> copy = new LinkedHashMap<>();
    seriesRetention.forEach((k, v) -> copy.put(k, new LinkedHashMap<>(v)));
    copy.computeIfAbsent(seriesName, k -> new LinkedHashMap<>()).put(tierName, retention);
    copy.replaceAll((k, v) -> Collections.unmodifiableMap(v));
    this.seriesRetention = Collections.unmodifiableMap(copy);
    return this;
  }

  /**
   * @return these options as JSON
   */
  public JsonObject toJson() {
    JsonArray tierArray = new JsonArray();
    for (Tier t : tiers) {
      tierArray.add(
          new JsonObject()
              .put("name", t.name())
              .put("bucket", t.bucket().toString())
              .put("retention", t.retention().toString()));
    }
    JsonObject overrides = new JsonObject();
    seriesRetention.forEach(
        (name, perTier) -> {
          JsonObject o = new JsonObject();
          perTier.forEach((tier, d) -> o.put(tier, d.toString()));
          overrides.put(name, o);
        });
    return new JsonObject()
        .put("tiers", tierArray)
        .put("lateness", lateness.toString())
        .put("rollupInterval", rollupInterval.toString())
        .put("retentionInterval", retentionInterval.toString())
        .put("retentionBatchSize", retentionBatchSize)
        .put("maxRollupBuckets", maxRollupBuckets)
        .put("seriesRetention", overrides);
  }

  private int indexOf(String name) {
    for (int i = 0; i < tiers.size(); i++) {
      if (tiers.get(i).name().equals(name)) {
        return i;
      }
    }
    throw new IllegalArgumentException("no tier is named " + name);
  }

  private static Duration positive(String name, Duration value) {
    if (value == null || value.toMillis() < 1) {
      throw new IllegalArgumentException(name + " must be at least 1 ms");
    }
    return value;
  }
}
