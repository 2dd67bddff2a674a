package dev.homelab.core.telemetry;

/** What a recorded {@link DeviceState} is about: the device's own state, or its availability. */
public enum DeviceStateKind {
  /**
   * The JSON object a device publishes on its own topic, such as zigbee2mqtt's {@code
   * zigbee2mqtt/<friendly name>}.
   */
  STATE("state"),
  /**
   * Whether the device is reachable, as zigbee2mqtt publishes it on {@code zigbee2mqtt/<friendly
   * name>/availability}; recorded as {@code {"state":"online"}} or {@code {"state":"offline"}}
   * whatever form it came in.
   */
  AVAILABILITY("availability");

  private final String label;

  DeviceStateKind(String label) {
    this.label = label;
  }

  /**
   * @return the lower-case name stores and the API use
   */
  public String label() {
    return label;
  }

  /**
   * @param label a name as {@link #label()} spells it
   * @return the kind
   * @throws IllegalArgumentException if no kind has that name
   */
  public static DeviceStateKind of(String label) {
    for (DeviceStateKind kind : values()) {
      if (kind.label.equals(label)) {
        return kind;
      }
    }
    throw new IllegalArgumentException("no device state kind is named " + label);
  }
}
