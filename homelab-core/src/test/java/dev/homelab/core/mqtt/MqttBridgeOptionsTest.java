package dev.homelab.core.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.homelab.core.ValidationException;
import dev.homelab.core.upstream.UpstreamTls;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class MqttBridgeOptionsTest {

  @Test
  void defaultsSubscribeToZigbee2mqttAndHomelab() {
    MqttBridgeOptions options = new MqttBridgeOptions().setBrokerUrl("mqtt://broker");
    assertThat(options.getSubscriptions()).containsExactly("zigbee2mqtt/#", "homelab/#");
    assertThat(options.getPort()).isEqualTo(1883);
    assertThat(options.isTls()).isFalse();
    assertThat(new MqttBridgeOptions().setBrokerUrl("mqtts://broker").getPort()).isEqualTo(8883);
    assertThat(new MqttBridgeOptions().setBrokerUrl("mqtts://broker:9883").getPort())
        .isEqualTo(9883);
  }

  @Test
  void jsonRoundTripsAndToStringHidesThePassword() {
    MqttBridgeOptions options =
        new MqttBridgeOptions()
            .setBrokerUrl("mqtts://broker.lan:8883")
            .setClientId("homelab-1")
            .setCredentials("homelab", "s3cret")
            .setTls(
                UpstreamTls.pinned(
                    "ab:cd:ef:01:23:45:67:89:ab:cd:ef:01:23:45:67:89"
                        + ":ab:cd:ef:01:23:45:67:89:ab:cd:ef:01:23:45:67:89"))
            .setSubscriptions(List.of("zigbee2mqtt/+", "homelab/#"))
            .setOutboxSize(50)
            .setMaxTopics(500)
            .setReconnectBackoff(Duration.ofMillis(100), Duration.ofSeconds(10))
            .setKeepAlive(Duration.ofSeconds(20));

    MqttBridgeOptions copy = new MqttBridgeOptions(options.toJson());

    assertThat(copy.toJson()).isEqualTo(options.toJson());
    assertThat(copy.getTls()).isEqualTo(options.getTls());
    assertThat(copy.getPassword()).isEqualTo("s3cret");
    assertThat(options.toString()).doesNotContain("s3cret").contains("[hidden]");
  }

  @Test
  void badValuesNameTheirField() {
    assertThatThrownBy(() -> new MqttBridgeOptions().setBrokerUrl("http://broker"))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("mqtt://");
    assertThatThrownBy(() -> new MqttBridgeOptions().setBrokerUrl("mqtt://user:pw@broker"))
        .isInstanceOf(ValidationException.class)
        .extracting(e -> ((ValidationException) e).field())
        .isEqualTo("brokerUrl");
    assertThatThrownBy(() -> new MqttBridgeOptions().setSubscriptions(List.of("a/#/b")))
        .extracting(e -> ((ValidationException) e).field())
        .isEqualTo("subscriptions");
    assertThatThrownBy(() -> new MqttBridgeOptions().setOutboxSize(0))
        .extracting(e -> ((ValidationException) e).field())
        .isEqualTo("outboxSize");
    assertThatThrownBy(() -> new MqttBridgeOptions().setCredentials(null, "pw"))
        .extracting(e -> ((ValidationException) e).field())
        .isEqualTo("password");
    assertThatThrownBy(
            () ->
                new MqttBridgeOptions()
                    .setReconnectBackoff(Duration.ofSeconds(10), Duration.ofSeconds(1)))
        .extracting(e -> ((ValidationException) e).field())
        .isEqualTo("reconnect");
    assertThatThrownBy(() -> new MqttBridgeOptions().validate())
        .extracting(e -> ((ValidationException) e).field())
        .isEqualTo("brokerUrl");
  }
}
