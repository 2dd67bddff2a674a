package dev.homelab.core.metrics;

import io.vertx.core.json.JsonObject;

/**
 * The aggregate of the points of one series in one interval of a tier: count, sum, min, max and the
 * last value, so that the average and the extremes are exact at every tier.
 *
 * <p>A raw point reads as a bucket of one point that starts at the point's time.
 *
 * @param start the start of the interval, in milliseconds since the epoch
 * @param count how many points
 * @param sum their sum
 * @param min the smallest
 * @param max the largest
 * @param last the value of the latest point
 * @param lastTime the time of the latest point
 */
public record Bucket(
    long start, long count, double sum, double min, double max, double last, long lastTime) {

  /**
   * @param point a point
   * @param start the start of the bucket that holds it
   * @return a bucket of that one point
   */
  public static Bucket of(Point point, long start) {
    return new Bucket(
        start, 1, point.value(), point.value(), point.value(), point.value(), point.time());
  }

  /**
   * @return the average, {@code sum / count}
   */
  public double avg() {
    return sum / count;
  }

  /**
   * Merges two buckets of one series; the result starts where this one does.
   *
   * @param other another bucket
   * @return the aggregate of both
   */
  public Bucket merge(Bucket other) {
    boolean otherIsLater = other.lastTime > lastTime;
    return new Bucket(
        start,
        count + other.count,
        sum + other.sum,
        Math.min(min, other.min),
        Math.max(max, other.max),
        otherIsLater ? other.last : last,
        otherIsLater ? other.lastTime : lastTime);
  }

  /**
   * @param newStart the start of the bucket this one is merged into
   * @return this aggregate under another start
   */
  public Bucket at(long newStart) {
    return newStart == start ? this : new Bucket(newStart, count, sum, min, max, last, lastTime);
  }

  /**
   * @return the bucket as the API sends it: timestamp (seconds since the epoch, as in seed 003),
   *     avg, min, max, last, count, sum
   */
  public JsonObject toJson() {
    return new JsonObject()
        .put("timestamp", Math.floorDiv(start, 1000))
        .put("avg", avg())
        .put("min", min)
        .put("max", max)
        .put("last", last)
        .put("count", count)
        .put("sum", sum);
  }
}
