package dev.homelab.core.metrics;

import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A level of resolution: raw points, or buckets of a fixed width, each kept for a while.
 *
 * @param name the tier's name, as stores and the API spell it, for example {@code raw} or {@code
 *     5m}
 * @param bucket the width of its buckets; {@link Duration#ZERO} for the raw tier
 * @param retention how long its data is kept
 */
public record Tier(String name, Duration bucket, Duration retention) {

  private static final Pattern NAME = Pattern.compile("[a-z0-9]{1,16}");

  /**
   * Checks the components.
   *
   * @throws IllegalArgumentException if the name is not 1 to 16 lower-case letters and digits, the
   *     bucket is negative or not whole milliseconds, or the retention is not positive
   */
  public Tier {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(bucket, "bucket");
    Objects.requireNonNull(retention, "retention");
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("tier name must be 1-16 of [a-z0-9]: " + name);
    }
    if (bucket.isNegative() || bucket.toNanos() % 1_000_000 != 0) {
      throw new IllegalArgumentException("tier " + name + ": bucket must be whole milliseconds");
    }
    if (retention.isNegative() || retention.isZero()) {
      throw new IllegalArgumentException("tier " + name + ": retention must be positive");
    }
  }

  /**
   * @return whether this is the raw tier, of points rather than buckets
   */
  public boolean isRaw() {
    return bucket.isZero();
  }

  /**
   * @return the bucket width in milliseconds; 0 for the raw tier
   */
  public long bucketMillis() {
    return bucket.toMillis();
  }

  /**
   * @param time a time in milliseconds since the epoch
   * @return the start of the bucket that holds it (the time itself on the raw tier)
   */
  public long bucketStart(long time) {
    long width = bucketMillis();
    return width == 0 ? time : time - Math.floorMod(time, width);
  }

  /**
   * @param retention another retention
   * @return this tier with that retention
   */
  public Tier withRetention(Duration retention) {
    return new Tier(name, bucket, retention);
  }
}
