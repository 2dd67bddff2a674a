package dev.homelab.core.events;

import io.vertx.core.json.JsonObject;

/** Options of an {@link EventHub}. */
public class EventHubOptions {

  /** The default prefix of the event-bus addresses the hub uses: {@value}. */
  public static final String DEFAULT_ADDRESS_PREFIX = "homelab.events.";

  /** How many recent events of each topic are kept for replay by default: {@value}. */
  public static final int DEFAULT_REPLAY_BUFFER_SIZE = 1000;

  private String addressPrefix = DEFAULT_ADDRESS_PREFIX;
  private int replayBufferSize = DEFAULT_REPLAY_BUFFER_SIZE;

  /** Creates options with the defaults. */
  public EventHubOptions() {}

  /**
   * Copies other options.
   *
   * @param other the options to copy
   */
  public EventHubOptions(EventHubOptions other) {
    this.addressPrefix = other.addressPrefix;
    this.replayBufferSize = other.replayBufferSize;
  }

  /**
   * Reads options from JSON with the keys of {@link #toJson()}.
   *
   * @param json the options as JSON
   */
  public EventHubOptions(JsonObject json) {
    setAddressPrefix(json.getString("addressPrefix", DEFAULT_ADDRESS_PREFIX));
    setReplayBufferSize(json.getInteger("replayBufferSize", DEFAULT_REPLAY_BUFFER_SIZE));
  }

  /**
   * @return how many recent events of each topic are kept for {@link EventHub#replay}; default
   *     {@value #DEFAULT_REPLAY_BUFFER_SIZE}
   */
  public int getReplayBufferSize() {
    return replayBufferSize;
  }

  /**
   * Sets how many recent events of each topic are kept, so that a stream can resume after a
   * disconnection without losing what was published meanwhile.
   *
   * @param size 0 (no replay) to 1,000,000
   * @return these options
   * @throws IllegalArgumentException if out of range
   */
  public EventHubOptions setReplayBufferSize(int size) {
    if (size < 0 || size > 1_000_000) {
      throw new IllegalArgumentException("replayBufferSize must be 0 to 1000000");
    }
    this.replayBufferSize = size;
    return this;
  }

  /**
   * @return the prefix of the event-bus addresses; default {@value #DEFAULT_ADDRESS_PREFIX}
   */
  public String getAddressPrefix() {
    return addressPrefix;
  }

  /**
   * Sets the prefix of the event-bus addresses, so that two hubs on one Vert.x stay apart.
   *
   * @param addressPrefix a non-blank prefix
   * @return these options
   * @throws IllegalArgumentException if blank
   */
  public EventHubOptions setAddressPrefix(String addressPrefix) {
    if (addressPrefix == null || addressPrefix.isBlank()) {
      throw new IllegalArgumentException("addressPrefix must not be blank");
    }
    this.addressPrefix = addressPrefix;
    return this;
  }

  /**
   * @return these options as JSON
   */
  public JsonObject toJson() {
    return new JsonObject()
        .put("addressPrefix", addressPrefix)
        .put("replayBufferSize", replayBufferSize);
  }
}
