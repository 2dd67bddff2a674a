package dev.homelab.core.leader;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Objects;

/**
 * The timing of a {@link Leadership}, all derived from one ttl: a follower tries to take the lock
 * every third of it, the leader renews the lock as often (each attempt times out after a third of
 * it), and a leader whose last successful renewal was sent a whole ttl ago steps down. A crashed
 * leader is thus replaced within about a ttl (a PostgreSQL lock is freed when its session ends,
 * usually within a third), and a leader cut off from the lock stops acting as one before its lease
 * can expire.
 */
public class LeadershipOptions {

  /** How long a lease lasts by default: 15 seconds. */
  public static final Duration DEFAULT_TTL = Duration.ofSeconds(15);

  /** The shortest ttl accepted: 30 milliseconds. */
  public static final Duration MIN_TTL = Duration.ofMillis(30);

  /** The longest ttl accepted: 1 hour. */
  public static final Duration MAX_TTL = Duration.ofHours(1);

  private Duration ttl = DEFAULT_TTL;

  /** Creates options with the defaults: a ttl of 15 seconds. */
  public LeadershipOptions() {}

  /**
   * Copies other options.
   *
   * @param other the options to copy
   */
  public LeadershipOptions(LeadershipOptions other) {
    this.ttl = other.ttl;
  }

  /**
   * Reads options from JSON with the keys of {@link #toJson()}; the ttl is ISO-8601 ({@code
   * PT15S}); absent keys keep their default.
   *
   * @param json the options as JSON
   */
  public LeadershipOptions(JsonObject json) {
    setTtl(Duration.parse(json.getString("ttl", DEFAULT_TTL.toString())));
  }

  /**
   * @return how long a lease lasts; default {@link #DEFAULT_TTL}, 15 seconds
   */
  public Duration getTtl() {
    return ttl;
  }

  /**
   * Sets how long a lease lasts, which sets every interval of the leadership (see the class
   * comment).
   *
   * @param ttl between {@link #MIN_TTL} (30 ms) and {@link #MAX_TTL} (1 hour)
   * @return these options
   * @throws IllegalArgumentException if out of range
   */
  public LeadershipOptions setTtl(Duration ttl) {
    if (ttl == null || ttl.compareTo(MIN_TTL) < 0 || ttl.compareTo(MAX_TTL) > 0) {
      throw new IllegalArgumentException("ttl must be between 30 ms and 1 hour");
    }
    this.ttl = ttl;
    return this;
  }

  /**
   * @return a third of the ttl: how often a follower tries the lock and the leader renews it, and
   *     how long each attempt may take
   */
  public Duration getInterval() {
    return ttl.dividedBy(3);
  }

  /**
   * @return these options as JSON, with the keys the JSON constructor reads
   */
  public JsonObject toJson() {
    return new JsonObject().put("ttl", ttl.toString());
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof LeadershipOptions other && ttl.equals(other.ttl);
  }

  @Override
  public int hashCode() {
    return Objects.hash(ttl);
  }

  @Override
  public String toString() {
    return "LeadershipOptions" + toJson().encode();
  }
}
