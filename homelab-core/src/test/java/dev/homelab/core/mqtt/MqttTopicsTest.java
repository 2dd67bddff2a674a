package dev.homelab.core.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.homelab.core.ValidationException;
import org.junit.jupiter.api.Test;

class MqttTopicsTest {

  @Test
  void wildcardsMatchAsTheSpecificationSays() {
    assertThat(MqttTopics.matches("zigbee2mqtt/#", "zigbee2mqtt/lamp/availability")).isTrue();
    assertThat(MqttTopics.matches("zigbee2mqtt/#", "zigbee2mqtt")).isTrue();
    assertThat(MqttTopics.matches("zigbee2mqtt/+", "zigbee2mqtt/lamp")).isTrue();
    assertThat(MqttTopics.matches("zigbee2mqtt/+", "zigbee2mqtt/lamp/set")).isFalse();
    assertThat(MqttTopics.matches("a/+/c", "a//c")).isTrue();
    assertThat(MqttTopics.matches("a/b", "a/b/c")).isFalse();
    assertThat(MqttTopics.matches("a/b/c", "a/b")).isFalse();
    assertThat(MqttTopics.matches("#", "$SYS/broker/uptime")).isFalse();
    assertThat(MqttTopics.matches("$SYS/#", "$SYS/broker/uptime")).isTrue();
  }

  @Test
  void badFiltersAreExplained() {
    assertThat(MqttTopics.filterProblem("homelab/#")).isNull();
    assertThat(MqttTopics.filterProblem("+/sensors/+")).isNull();
    assertThat(MqttTopics.filterProblem("a/#/b")).contains("#");
    assertThat(MqttTopics.filterProblem("a/b#")).contains("#");
    assertThat(MqttTopics.filterProblem("a/b+")).contains("+");
    assertThat(MqttTopics.filterProblem("")).isEqualTo("is empty");
  }

  @Test
  void publishTopicsHaveNoWildcards() {
    assertThat(MqttTopics.requireTopicName("homelab/access/door1/decision"))
        .isEqualTo("homelab/access/door1/decision");
    assertThatThrownBy(() -> MqttTopics.requireTopicName("homelab/#"))
        .isInstanceOf(ValidationException.class);
    assertThatThrownBy(() -> MqttTopics.requireTopicName(""))
        .isInstanceOf(ValidationException.class);
  }
}
