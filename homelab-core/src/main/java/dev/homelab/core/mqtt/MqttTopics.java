package dev.homelab.core.mqtt;

import dev.homelab.core.ValidationException;

/** MQTT topic names and filters (MQTT 3.1.1 section 4.7): checking them and matching them. */
public final class MqttTopics {

  /** The longest topic the specification allows, in UTF-8 bytes. */
  public static final int MAX_TOPIC_BYTES = 65_535;

  private MqttTopics() {}

  /**
   * Checks a topic that a message is published to: not empty, no wildcard, no NUL.
   *
   * @param topic the topic name
   * @return the topic
   * @throws ValidationException (field {@code topic}) if it cannot be published to
   */
  public static String requireTopicName(String topic) {
    if (topic == null || topic.isEmpty()) {
      throw new ValidationException("topic", "must not be empty");
    }
    if (topic.indexOf('+') >= 0 || topic.indexOf('#') >= 0) {
      throw new ValidationException("topic", "must not hold the wildcards + or #");
    }
    if (topic.indexOf('\0') >= 0) {
      throw new ValidationException("topic", "must not hold a NUL character");
    }
    if (topic.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_TOPIC_BYTES) {
      throw new ValidationException("topic", "is longer than 65535 bytes");
    }
    return topic;
  }

  /**
   * @param filter a topic filter such as {@code zigbee2mqtt/+/availability} or {@code homelab/#}
   * @return what is wrong with it, or {@code null} if it is a valid filter
   */
  public static String filterProblem(String filter) {
    if (filter == null || filter.isEmpty()) {
      return "is empty";
    }
    if (filter.indexOf('\0') >= 0) {
      return "holds a NUL character";
    }
    String[] levels = filter.split("/", -1);
    for (int i = 0; i < levels.length; i++) {
      String level = levels[i];
      if (level.contains("#") && (!"#".equals(level) || i != levels.length - 1)) {
        return "may hold # only as its whole last level";
      }
      if (level.contains("+") && !"+".equals(level)) {
        return "may hold + only as a whole level";
      }
    }
    return null;
  }

  /**
   * Whether a topic matches a filter. As the specification says, a filter starting with a wildcard
   * does not match a topic starting with {@code $} (the broker's {@code $SYS} topics).
   *
   * @param filter a valid topic filter
   * @param topic a topic name
   * @return whether a subscription to the filter receives messages of the topic
   */
  public static boolean matches(String filter, String topic) {
    if (topic.startsWith("$") && (filter.startsWith("+") || filter.startsWith("#"))) {
      return false;
    }
    String[] f = filter.split("/", -1);
    String[] t = topic.split("/", -1);
    for (int i = 0; i < f.length; i++) {
      if ("#".equals(f[i])) {
        // "a/#" also matches "a" itself: the parent level.
        return true;
      }
      if (i >= t.length) {
        return false;
      }
      if (!"+".equals(f[i]) && !f[i].equals(t[i])) {
        return false;
      }
    }
    return f.length == t.length;
  }
}
