package dev.homelab.core.events;

import io.vertx.core.json.JsonObject;

/** Options of an {@link EventHub}. */
public class EventHubOptions {

  /** The default prefix of the event-bus addresses the hub uses: {@value}. */
  public static final String DEFAULT_ADDRESS_PREFIX = "homelab.events.";

  private String addressPrefix = DEFAULT_ADDRESS_PREFIX;

  /** Creates options with the defaults. */
  public EventHubOptions() {}

  /**
   * Copies other options.
   *
   * @param other the options to copy
   */
  public EventHubOptions(EventHubOptions other) {
    this.addressPrefix = other.addressPrefix;
  }

  /**
   * Reads options from JSON with the keys of {@link #toJson()}.
   *
   * @param json the options as JSON
   */
  public EventHubOptions(JsonObject json) {
    setAddressPrefix(json.getString("addressPrefix", DEFAULT_ADDRESS_PREFIX));
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
    return new JsonObject().put("addressPrefix", addressPrefix);
  }
}
