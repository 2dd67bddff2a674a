package dev.homelab.simulators.frigate;

import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link FrigateSimulator} behaves: which Frigate version it plays (that decides the shape of
 * {@code /api/stats} and which snapshot height parameter it reads), whether it requires a login as
 * Frigate's authenticated port 8971 does, how many events it starts with and how often new ones
 * appear, and how large its camera snapshots are.
 *
 * <p>Mutable and not thread-safe; {@link FrigateSimulator#start} copies it.
 */
public final class FrigateSimulatorOptions {

  /** The version played by default: {@code 0.14.1-f4f3cfa} (new stats shape, reads {@code h}). */
  public static final String DEFAULT_VERSION = "0.14.1-f4f3cfa";

  /** Events generated at start by default: 60, spread over the last 24 hours. */
  public static final int DEFAULT_EVENT_COUNT = 60;

  /** How often a new event appears by default: every 30 seconds. */
  public static final Duration DEFAULT_NEW_EVENT_EVERY = Duration.ofSeconds(30);

  private String version = DEFAULT_VERSION;
  private String username;
  private String password;
  private int eventCount = DEFAULT_EVENT_COUNT;
  private Duration newEventEvery = DEFAULT_NEW_EVENT_EVERY;
  private int snapshotPaddingBytes;
  private long seed = 42;

  /** Creates options with the defaults. */
  public FrigateSimulatorOptions() {}

  /**
   * Copies other options.
   *
   * @param other the options to copy
   */
  public FrigateSimulatorOptions(FrigateSimulatorOptions other) {
    this.version = other.version;
    this.username = other.username;
    this.password = other.password;
    this.eventCount = other.eventCount;
    this.newEventEvery = other.newEventEvery;
    this.snapshotPaddingBytes = other.snapshotPaddingBytes;
    this.seed = other.seed;
  }

  /**
   * @return the version string served by {@code /api/version}; default {@link #DEFAULT_VERSION}
   */
  public String getVersion() {
    return version;
  }

  /**
   * Sets the version played. Before 0.13 the stats have cameras at their top level; before 0.15 the
   * snapshot height is read from {@code h}, since then from {@code height}.
   *
   * @param version such as {@code 0.9.4-26ae608} or {@code 0.16.0-abc1234}
   * @return these options
   */
  public FrigateSimulatorOptions setVersion(String version) {
    FrigateSimulator.parseVersion(Objects.requireNonNull(version, "version"));
    this.version = version;
    return this;
  }

  /**
   * @return the user a login needs, or {@code null} when the API is open (port 5000)
   */
  public String getUsername() {
    return username;
  }

  /**
   * @return the password a login needs, or {@code null}
   */
  public String getPassword() {
    return password;
  }

  /**
   * Requires a login as port 8971 does: {@code POST /api/login} answers a JWT cookie, and every
   * other API path but {@code /api/version} answers 401 without that token (cookie or bearer).
   *
   * @param username the user, or {@code null} for an open API
   * @param password the password
   * @return these options
   */
  public FrigateSimulatorOptions setCredentials(String username, String password) {
    this.username = username;
    this.password = password;
    return this;
  }

  /**
   * @return the events generated at start; default {@link #DEFAULT_EVENT_COUNT}
   */
  public int getEventCount() {
    return eventCount;
  }

  /**
   * @param eventCount the events generated at start, 0 or more
   * @return these options
   */
  public FrigateSimulatorOptions setEventCount(int eventCount) {
    if (eventCount < 0) {
      throw new IllegalArgumentException("eventCount must not be negative");
    }
    this.eventCount = eventCount;
    return this;
  }

  /**
   * @return how often a new event appears, or {@code null} for never; default {@link
   *     #DEFAULT_NEW_EVENT_EVERY}
   */
  public Duration getNewEventEvery() {
    return newEventEvery;
  }

  /**
   * Sets how often a new event begins (in progress, with no end time, until the next one begins).
   *
   * @param every the interval, or {@code null} for a fixed list
   * @return these options
   */
  public FrigateSimulatorOptions setNewEventEvery(Duration every) {
    if (every != null && every.toMillis() < 10) {
      throw new IllegalArgumentException("newEventEvery must be at least 10 ms");
    }
    this.newEventEvery = every;
    return this;
  }

  /**
   * @return bytes of JPEG comment segments added to each camera snapshot; default 0
   */
  public int getSnapshotPaddingBytes() {
    return snapshotPaddingBytes;
  }

  /**
   * Makes each camera snapshot larger by this many bytes of JPEG comment segments, which decoders
   * skip, so that a test can stream a several-megabyte image that still decodes.
   *
   * @param bytes 0 to 256 MB
   * @return these options
   */
  public FrigateSimulatorOptions setSnapshotPaddingBytes(int bytes) {
    if (bytes < 0 || bytes > 256 << 20) {
      throw new IllegalArgumentException("snapshotPaddingBytes must be between 0 and 256 MB");
    }
    this.snapshotPaddingBytes = bytes;
    return this;
  }

  /**
   * @return the seed of the generated events; default 42
   */
  public long getSeed() {
    return seed;
  }

  /**
   * @param seed the seed of the generated events (ids, labels, scores)
   * @return these options
   */
  public FrigateSimulatorOptions setSeed(long seed) {
    this.seed = seed;
    return this;
  }
}
