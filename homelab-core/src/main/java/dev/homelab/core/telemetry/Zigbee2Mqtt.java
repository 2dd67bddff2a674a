package dev.homelab.core.telemetry;

import dev.homelab.core.ValidationException;
import dev.homelab.core.mqtt.MqttTopics;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * How zigbee2mqtt lays out its topics under its base topic ({@code zigbee2mqtt} unless its {@code
 * mqtt.base_topic} says otherwise), and what its payloads mean:
 *
 * <ul>
 *   <li>{@code <base>/<friendly name>}: the device's state, a JSON object (the friendly name may
 *       itself hold {@code /}, as in {@code livingroom/window});
 *   <li>{@code <base>/<friendly name>/availability}: {@code {"state":"online"}} or {@code
 *       {"state":"offline"}}, or before zigbee2mqtt 2.0 the plain text {@code online} or {@code
 *       offline};
 *   <li>{@code <base>/<friendly name>/set}, {@code .../get} and {@code .../set/<attribute>}:
 *       commands to the device, not states;
 *   <li>{@code <base>/bridge/...}: the bridge itself ({@code bridge/state}, {@code bridge/devices},
 *       {@code bridge/info}, requests and responses), not a device.
 * </ul>
 */
public final class Zigbee2Mqtt {

  /** zigbee2mqtt's default base topic: {@value}. */
  public static final String DEFAULT_BASE_TOPIC = "zigbee2mqtt";

  private Zigbee2Mqtt() {}

  /** What a topic under the base topic carries. */
  public enum Role {
    /** A device's state. */
    DEVICE_STATE,
    /** A device's availability. */
    AVAILABILITY,
    /** A command to a device ({@code /set}, {@code /get}): not a state. */
    COMMAND,
    /** The bridge's own topics. */
    BRIDGE
  }

  /**
   * A topic under a base topic, understood.
   *
   * @param role what it carries
   * @param name the device's friendly name ({@link Role#DEVICE_STATE}, {@link Role#AVAILABILITY}),
   *     or the bridge topic after {@code bridge/} ({@link Role#BRIDGE}), or the device part of a
   *     command
   * @param deviceTopic the topic of the device's state, {@code <base>/<friendly name>}, under which
   *     both its states and its availability are recorded; {@code null} for the bridge
   */
  public record Topic(Role role, String name, String deviceTopic) {}

  /**
   * Checks a base topic: a topic name without wildcards, not ending in {@code /}.
   *
   * @param base the base topic
   * @return the base topic
   * @throws ValidationException (field {@code base_topic}) if it cannot be one
   */
  public static String requireBaseTopic(String base) {
    try {
      MqttTopics.requireTopicName(base);
    } catch (ValidationException e) {
      throw new ValidationException("base_topic", e.getMessage());
    }
    if (base.endsWith("/") || base.startsWith("/")) {
      throw new ValidationException("base_topic", "must not start or end with /");
    }
    return base;
  }

  /**
   * @param base a base topic
   * @param topic a topic a message came on
   * @return what the topic carries, or {@code null} if it is not under the base topic
   */
  public static Topic classify(String base, String topic) {
    if (!topic.startsWith(base + "/") || topic.length() == base.length() + 1) {
      return null;
    }
    String rest = topic.substring(base.length() + 1);
    if (rest.equals("bridge") || rest.startsWith("bridge/")) {
      return new Topic(Role.BRIDGE, rest.equals("bridge") ? "" : rest.substring(7), null);
    }
    int set = commandAt(rest);
    if (set >= 0) {
      String device = rest.substring(0, set);
      return new Topic(Role.COMMAND, device, base + "/" + device);
    }
    if (rest.endsWith("/availability") && rest.length() > "/availability".length()) {
      String device = rest.substring(0, rest.length() - "/availability".length());
      return new Topic(Role.AVAILABILITY, device, base + "/" + device);
    }
    return new Topic(Role.DEVICE_STATE, rest, topic);
  }

  /** Where {@code /set} or {@code /get} starts as a whole level (last, or before an attribute). */
  private static int commandAt(String rest) {
    for (String command : List.of("/set", "/get")) {
      if (rest.endsWith(command)) {
        return rest.length() - command.length();
      }
      int at = rest.indexOf(command + "/");
      if (at > 0) {
        return at;
      }
    }
    return -1;
  }

  /**
   * Reads an availability payload (a device's, or the bridge's {@code bridge/state}).
   *
   * @param payload {@code {"state":"online"}}, {@code {"state":"offline"}}, or the legacy plain
   *     {@code online} or {@code offline}
   * @return {@code online} or {@code offline}, or {@code null} if the payload is neither
   */
  public static String availability(String payload) {
    String text = payload.strip();
    if (text.startsWith("{")) {
      JsonObject json = jsonObject(text);
      text = json != null && json.getValue("state") instanceof String s ? s : "";
    }
    String lower = text.toLowerCase(Locale.ROOT);
    return lower.equals("online") || lower.equals("offline") ? lower : null;
  }

  /**
   * @param payload a message's text
   * @return the payload as a JSON object, or {@code null} if it is not one (a device state must be)
   */
  public static JsonObject jsonObject(String payload) {
    String text = payload.strip();
    if (!text.startsWith("{")) {
      return null;
    }
    try {
      return new JsonObject(text);
    } catch (RuntimeException e) {
      return null;
    }
  }

  /**
   * Reads {@code bridge/devices}: the array of every device the bridge knows.
   *
   * @param payload the message's text
   * @return the devices it lists (the coordinator included), or an empty list if the payload is not
   *     an array of objects
   */
  public static List<Zigbee2MqttDevice> devices(String payload) {
    JsonArray array;
    try {
      array = new JsonArray(payload.strip());
    } catch (RuntimeException e) {
      return List.of();
    }
    List<Zigbee2MqttDevice> devices = new ArrayList<>();
    for (Object entry : array) {
      if (entry instanceof JsonObject device
          && device.getValue("friendly_name") instanceof String) {
        devices.add(Zigbee2MqttDevice.fromJson(device));
      }
    }
    return List.copyOf(devices);
  }
}
