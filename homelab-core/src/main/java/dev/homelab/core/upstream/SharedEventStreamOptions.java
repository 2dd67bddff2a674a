package dev.homelab.core.upstream;

import dev.homelab.sse.SseReader;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.random.RandomGenerator;

/**
 * Options of a {@link SharedEventStream}: each subscriber's buffer, the reconnection backoff, and
 * the largest SSE record accepted.
 *
 * <p>The wait before the n-th consecutive reconnection attempt (n from 0) is {@code min(max,
 * initial * 2^n)}, shortened by a random part of up to {@code jitter} of itself, so that many
 * streams that lost their upstream together do not come back together.
 */
public class SharedEventStreamOptions {

  /** Events a paused subscriber may have waiting before it is dropped: {@value}. */
  public static final int DEFAULT_SUBSCRIBER_BUFFER_SIZE = 256;

  /** The first reconnection wait: 500 ms. */
  public static final Duration DEFAULT_INITIAL_BACKOFF = Duration.ofMillis(500);

  /** The longest reconnection wait: 30 s. */
  public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofSeconds(30);

  /**
   * Default {@link #getReadIdleTimeout()}: five minutes, many times a usual ping (the automation
   * simulator's comes every 15 s), so a quiet upstream that pings is never taken for a dead one.
   */
  public static final Duration DEFAULT_READ_IDLE_TIMEOUT = Duration.ofMinutes(5);

  /** The part of a wait that is random: {@value}, so a wait is between half and all of it. */
  public static final double DEFAULT_JITTER = 0.5;

  // ThreadLocalRandom.current() belongs to the thread that calls it: ask on every use.
  private static final RandomGenerator CURRENT_THREAD_RANDOM =
      () -> ThreadLocalRandom.current().nextLong();

  private int subscriberBufferSize = DEFAULT_SUBSCRIBER_BUFFER_SIZE;
  private Duration initialBackoff = DEFAULT_INITIAL_BACKOFF;
  private Duration maxBackoff = DEFAULT_MAX_BACKOFF;
  private double jitter = DEFAULT_JITTER;
  private int maxRecordSize = SseReader.DEFAULT_MAX_RECORD_SIZE;
  private RandomGenerator random;
  private Duration readIdleTimeout = DEFAULT_READ_IDLE_TIMEOUT;

  /** Creates options with the defaults. */
  public SharedEventStreamOptions() {}

  /**
   * Copies other options.
   *
   * @param other the options to copy
   */
  public SharedEventStreamOptions(SharedEventStreamOptions other) {
    this.subscriberBufferSize = other.subscriberBufferSize;
    this.initialBackoff = other.initialBackoff;
    this.maxBackoff = other.maxBackoff;
    this.jitter = other.jitter;
    this.maxRecordSize = other.maxRecordSize;
    this.random = other.random;
    this.readIdleTimeout = other.readIdleTimeout;
  }

  /**
   * Reads options from JSON with the keys of {@link #toJson()}.
   *
   * @param json the options as JSON
   */
  public SharedEventStreamOptions(JsonObject json) {
    setSubscriberBufferSize(
        json.getInteger("subscriberBufferSize", DEFAULT_SUBSCRIBER_BUFFER_SIZE));
    setMaxBackoff(Duration.ofMillis(json.getLong("maxBackoffMs", DEFAULT_MAX_BACKOFF.toMillis())));
    setInitialBackoff(
        Duration.ofMillis(json.getLong("initialBackoffMs", DEFAULT_INITIAL_BACKOFF.toMillis())));
    setJitter(json.getDouble("jitter", DEFAULT_JITTER));
    setMaxRecordSize(json.getInteger("maxRecordSize", SseReader.DEFAULT_MAX_RECORD_SIZE));
    setReadIdleTimeout(
        Duration.ofMillis(json.getLong("readIdleTimeoutMs", DEFAULT_READ_IDLE_TIMEOUT.toMillis())));
  }

  /**
   * @return how long an open connection may deliver nothing at all (no event, no comment) before it
   *     is taken for dead and reopened; zero for never; default five minutes
   */
  public Duration getReadIdleTimeout() {
    return readIdleTimeout;
  }

  /**
   * Sets how long an open connection may deliver nothing before it is reopened: an upstream whose
   * host lost power or whose network dropped packets sends no FIN or RST, and without this the
   * stream would wait on it for good.
   *
   * @param readIdleTimeout zero for never, else 1 ms to 1 day
   * @return these options
   * @throws IllegalArgumentException if out of range
   */
  public SharedEventStreamOptions setReadIdleTimeout(Duration readIdleTimeout) {
    Objects.requireNonNull(readIdleTimeout, "readIdleTimeout");
    if (!readIdleTimeout.isZero()
        && (readIdleTimeout.toMillis() < 1 || readIdleTimeout.compareTo(Duration.ofDays(1)) > 0)) {
      throw new IllegalArgumentException("readIdleTimeout must be zero or 1 ms to 1 day");
    }
    this.readIdleTimeout = readIdleTimeout;
    return this;
  }

  /**
   * @return events a paused subscriber may have waiting; default {@value
   *     #DEFAULT_SUBSCRIBER_BUFFER_SIZE}
   */
  public int getSubscriberBufferSize() {
    return subscriberBufferSize;
  }

  /**
   * Sets how many events a paused subscriber may have waiting; one more drops it.
   *
   * @param size 1 to 1,000,000
   * @return these options
   * @throws IllegalArgumentException if out of range
   */
  public SharedEventStreamOptions setSubscriberBufferSize(int size) {
    if (size < 1 || size > 1_000_000) {
      throw new IllegalArgumentException("subscriberBufferSize must be 1 to 1000000");
    }
    this.subscriberBufferSize = size;
    return this;
  }

  /**
   * @return the first reconnection wait; default 500 ms
   */
  public Duration getInitialBackoff() {
    return initialBackoff;
  }

  /**
   * Sets the first reconnection wait, doubled on each consecutive failure.
   *
   * @param initialBackoff 1 ms or more, at most the maximum
   * @return these options
   * @throws IllegalArgumentException if out of range
   */
  public SharedEventStreamOptions setInitialBackoff(Duration initialBackoff) {
    Objects.requireNonNull(initialBackoff, "initialBackoff");
    if (initialBackoff.toMillis() < 1 || initialBackoff.compareTo(maxBackoff) > 0) {
      throw new IllegalArgumentException("initialBackoff must be 1 ms to maxBackoff");
    }
    this.initialBackoff = initialBackoff;
    return this;
  }

  /**
   * @return the longest reconnection wait; default 30 s
   */
  public Duration getMaxBackoff() {
    return maxBackoff;
  }

  /**
   * Sets the longest reconnection wait; it also bounds an upstream's {@code retry:}.
   *
   * @param maxBackoff 1 ms to 1 hour; a smaller initial wait is lowered to it
   * @return these options
   * @throws IllegalArgumentException if out of range
   */
  public SharedEventStreamOptions setMaxBackoff(Duration maxBackoff) {
    Objects.requireNonNull(maxBackoff, "maxBackoff");
    if (maxBackoff.toMillis() < 1 || maxBackoff.compareTo(Duration.ofHours(1)) > 0) {
      throw new IllegalArgumentException("maxBackoff must be 1 ms to 1 hour");
    }
    this.maxBackoff = maxBackoff;
    if (initialBackoff.compareTo(maxBackoff) > 0) {
      initialBackoff = maxBackoff;
    }
    return this;
  }

  /**
   * @return the random part of each wait; default {@value #DEFAULT_JITTER}
   */
  public double getJitter() {
    return jitter;
  }

  /**
   * Sets the random part of each wait: a wait {@code d} becomes a value between {@code d * (1 -
   * jitter)} and {@code d}.
   *
   * @param jitter 0 (none) to 1
   * @return these options
   * @throws IllegalArgumentException if out of range
   */
  public SharedEventStreamOptions setJitter(double jitter) {
    if (!(jitter >= 0 && jitter <= 1)) {
      throw new IllegalArgumentException("jitter must be 0 to 1");
    }
    this.jitter = jitter;
    return this;
  }

  /**
   * @return the longest SSE line or event data accepted; default {@value
   *     SseReader#DEFAULT_MAX_RECORD_SIZE}
   */
  public int getMaxRecordSize() {
    return maxRecordSize;
  }

  /**
   * Sets the longest SSE line, in bytes, or event data, in characters, accepted; a longer one is a
   * garbled stream, and the connection is dropped and opened again.
   *
   * @param maxRecordSize 1 or more
   * @return these options
   * @throws IllegalArgumentException if out of range
   */
  public SharedEventStreamOptions setMaxRecordSize(int maxRecordSize) {
    if (maxRecordSize < 1) {
      throw new IllegalArgumentException("maxRecordSize must be at least 1");
    }
    this.maxRecordSize = maxRecordSize;
    return this;
  }

  /**
   * @return the source of the jitter: the one set, or one that asks the calling thread's {@link
   *     ThreadLocalRandom} each time
   */
  public RandomGenerator getRandom() {
    return random != null ? random : CURRENT_THREAD_RANDOM;
  }

  /**
   * Sets the source of the jitter, such as a seeded generator in a test. Not part of the JSON form.
   *
   * @param random a generator used on the stream's context only, or {@code null} for {@link
   *     ThreadLocalRandom}
   * @return these options
   */
  public SharedEventStreamOptions setRandom(RandomGenerator random) {
    this.random = random;
    return this;
  }

  /**
   * @return these options as JSON, durations in milliseconds
   */
  public JsonObject toJson() {
    return new JsonObject()
        .put("subscriberBufferSize", subscriberBufferSize)
        .put("initialBackoffMs", initialBackoff.toMillis())
        .put("maxBackoffMs", maxBackoff.toMillis())
        .put("jitter", jitter)
        .put("maxRecordSize", maxRecordSize)
        .put("readIdleTimeoutMs", readIdleTimeout.toMillis());
  }
}
