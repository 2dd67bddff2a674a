package dev.homelab.benchmarks;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A clock that benchmarks and load drivers move by hand through simulated time. */
public final class MovingClock extends Clock {

  private volatile long millis;

  /**
   * @param millis the time, in milliseconds since the epoch
   */
  public MovingClock(long millis) {
    this.millis = millis;
  }

  /**
   * @param millis the new time, in milliseconds since the epoch
   */
  public void set(long millis) {
    this.millis = millis;
  }

  @Override
  public long millis() {
    return millis;
  }

  @Override
  public Instant instant() {
    return Instant.ofEpochMilli(millis);
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return this;
  }
}
