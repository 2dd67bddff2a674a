package dev.homelab.core.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.homelab.core.ValidationException;
import dev.homelab.core.metrics.Point;
import dev.homelab.core.metrics.SeriesKey;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** zigbee2mqtt's topics and payloads, read from the recorded and mock fixtures. */
public class Zigbee2MqttTest {

  /** zigbee2mqtt payloads, copied from the reference fixtures with their source notes. */
  static final String FIXTURES = "/fixtures/zigbee2mqtt/";

  /**
   * @param name a file of the fixtures
   * @return its text
   */
  public static String fixture(String name) {
    try (InputStream in = Zigbee2MqttTest.class.getResourceAsStream(FIXTURES + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException | NullPointerException e) {
      throw new AssertionError("no fixture " + name, e);
    }
  }

  @Test
  void topicsAreDeviceStatesAvailabilitiesCommandsOrTheBridge() {
    assertThat(Zigbee2Mqtt.classify("zigbee2mqtt", "zigbee2mqtt/livingroom/window"))
        .isEqualTo(
            new Zigbee2Mqtt.Topic(
                Zigbee2Mqtt.Role.DEVICE_STATE,
                "livingroom/window",
                "zigbee2mqtt/livingroom/window"));
    assertThat(Zigbee2Mqtt.classify("zigbee2mqtt", "zigbee2mqtt/hue1/availability"))
        .isEqualTo(
            new Zigbee2Mqtt.Topic(Zigbee2Mqtt.Role.AVAILABILITY, "hue1", "zigbee2mqtt/hue1"));
    assertThat(Zigbee2Mqtt.classify("zigbee2mqtt", "zigbee2mqtt/hue1/set").role())
        .isEqualTo(Zigbee2Mqtt.Role.COMMAND);
    assertThat(Zigbee2Mqtt.classify("zigbee2mqtt", "zigbee2mqtt/hue1/get").role())
        .isEqualTo(Zigbee2Mqtt.Role.COMMAND);
    assertThat(Zigbee2Mqtt.classify("zigbee2mqtt", "zigbee2mqtt/living room/lamp/set/state").role())
        .isEqualTo(Zigbee2Mqtt.Role.COMMAND);
    assertThat(Zigbee2Mqtt.classify("zigbee2mqtt", "zigbee2mqtt/bridge/devices"))
        .isEqualTo(new Zigbee2Mqtt.Topic(Zigbee2Mqtt.Role.BRIDGE, "devices", null));
    assertThat(Zigbee2Mqtt.classify("zigbee2mqtt", "zigbee2mqtt/bridge/request/permit_join").role())
        .isEqualTo(Zigbee2Mqtt.Role.BRIDGE);
    // A friendly name may merely contain "settings" or "availability".
    assertThat(Zigbee2Mqtt.classify("zigbee2mqtt", "zigbee2mqtt/settings room").role())
        .isEqualTo(Zigbee2Mqtt.Role.DEVICE_STATE);
    assertThat(Zigbee2Mqtt.classify("zigbee2mqtt", "zigbee2mqtt/availability").role())
        .isEqualTo(Zigbee2Mqtt.Role.DEVICE_STATE);
    // Another base topic, and topics outside it.
    assertThat(Zigbee2Mqtt.classify("lab/z2m", "lab/z2m/Temperatur Balkon").deviceTopic())
        .isEqualTo("lab/z2m/Temperatur Balkon");
    assertThat(Zigbee2Mqtt.classify("zigbee2mqtt", "homelab/sensors/s1")).isNull();
    assertThat(Zigbee2Mqtt.classify("zigbee2mqtt", "zigbee2mqtt")).isNull();
    assertThat(Zigbee2Mqtt.classify("zigbee2mqtt", "zigbee2mqttx/a")).isNull();
    assertThatThrownBy(() -> Zigbee2Mqtt.requireBaseTopic("zigbee2mqtt/#"))
        .isInstanceOf(ValidationException.class);
    assertThatThrownBy(() -> Zigbee2Mqtt.requireBaseTopic("zigbee2mqtt/"))
        .isInstanceOf(ValidationException.class);
  }

  @Test
  void availabilityIsReadInItsJsonAndItsLegacyForm() {
    JsonArray fixture = new JsonArray(fixture("device-availability-topic-payload.json"));
    assertThat(Zigbee2Mqtt.availability(fixture.getJsonObject(0).getJsonObject("payload").encode()))
        .isEqualTo("online");
    assertThat(Zigbee2Mqtt.availability(fixture.getJsonObject(2).getJsonObject("payload").encode()))
        .isEqualTo("offline");
    assertThat(Zigbee2Mqtt.availability(fixture("bridge-state.json"))).isEqualTo("online");
    assertThat(Zigbee2Mqtt.availability("online")).isEqualTo("online");
    assertThat(Zigbee2Mqtt.availability("offline\n")).isEqualTo("offline");
    assertThat(Zigbee2Mqtt.availability("{\"state\":\"sleeping\"}")).isNull();
    assertThat(Zigbee2Mqtt.availability("{broken")).isNull();
    assertThat(Zigbee2Mqtt.availability("")).isNull();
  }

  @Test
  void bridgeDevicesGiveFriendlyNamesAndTypes() {
    List<Zigbee2MqttDevice> devices =
        Zigbee2Mqtt.devices(fixture("bridge-devices-two-entries.json"));
    assertThat(devices)
        .extracting(Zigbee2MqttDevice::friendlyName)
        .containsExactly("livingroom/temp_humidity", "livingroom/window");
    Zigbee2MqttDevice window = devices.get(1);
    assertThat(window.ieeeAddress()).isEqualTo("0x00158d0001e1a85a");
    assertThat(window.type()).isEqualTo("EndDevice");
    assertThat(window.vendor()).isEqualTo("Xiaomi");
    assertThat(window.model()).isEqualTo("MCCGQ01LM");
    assertThat(window.powerSource()).isEqualTo("Battery");
    assertThat(window.disabled()).isTrue();
    assertThat(devices.get(0).disabled()).isFalse();
    assertThat(window.toJson().getString("description"))
        .isEqualTo("MiJia door & window contact sensor");
    assertThat(Zigbee2Mqtt.devices("{\"not\":\"an array\"}")).isEmpty();
    assertThat(Zigbee2Mqtt.devices("[1, {\"no_name\":true}]")).isEmpty();
  }

  @Test
  void numericFieldsOfEveryFixtureStateBecomeSeries() {
    JsonArray states = new JsonArray(fixture("device-states-topic-payload.json"));
    JsonObject hue = states.getJsonObject(0).getJsonObject("payload");
    assertThat(DeviceStateSeries.fields(hue))
        .containsEntry("brightness", 99.0)
        .containsEntry("color_x", 0.5056)
        .containsEntry("color_hue", 27.0)
        .containsEntry("color_temp", 454.0)
        .containsEntry("state", 1.0)
        .doesNotContainKeys("last_seen", "color_mode");
    JsonObject window = states.getJsonObject(3).getJsonObject("payload");
    assertThat(DeviceStateSeries.fields(window))
        .containsExactly(
            Map.entry("battery", 100.0),
            Map.entry("contact", 1.0),
            Map.entry("linkquality", 152.0),
            Map.entry("voltage", 3045.0));
    // 2018's weather sensor sent its battery as a string.
    JsonObject weather = new JsonObject(fixture("device-state-weather-legacy-2018.json"));
    assertThat(DeviceStateSeries.fields(weather))
        .containsEntry("battery", 37.0)
        .containsEntry("temperature", 24.59)
        .containsEntry("pressure", 990.0);
    assertThat(
            DeviceStateSeries.fields(
                new JsonObject(
                    "{\"state\":\"OFF\",\"Timestamp\":5,\"9x\":1,\"mode\":\"auto\",\"Link Quality\":7}")))
        .containsExactly(Map.entry("state", 0.0), Map.entry("link_quality", 7.0));
  }

  @Test
  void aTopicBecomesAnInjectiveTagValue() {
    assertThat(DeviceStateSeries.topicTag("zigbee2mqtt/livingroom/temp_humidity"))
        .isEqualTo("zigbee2mqtt/livingroom/temp_humidity");
    assertThat(DeviceStateSeries.topicTag("zigbee2mqtt/Temperatur Balkon"))
        .isEqualTo("zigbee2mqtt/Temperatur+20Balkon");
    assertThat(DeviceStateSeries.topicTag("z/a+b@c ü")).isEqualTo("z/a+2Bb+40c+20+C3+BC");
    // A literal "+20" cannot collide with an escaped space.
    assertThat(DeviceStateSeries.topicTag("z/a+20"))
        .isNotEqualTo(DeviceStateSeries.topicTag("z/a "));
    String longName = "zigbee2mqtt/" + "room ".repeat(40);
    String tag = DeviceStateSeries.topicTag(longName);
    assertThat(tag).hasSizeLessThanOrEqualTo(SeriesKey.MAX_LENGTH).contains("@");
    assertThat(tag).isNotEqualTo(DeviceStateSeries.topicTag(longName + "x"));
    // Every tag is a valid series tag.
    SeriesKey key = DeviceStateSeries.series("temperature", longName);
    assertThat(SeriesKey.parse(key.toString())).isEqualTo(key);
  }

  @Test
  void availabilityIsTheSeriesDeviceAvailable() {
    List<Point> points =
        DeviceStateSeries.points(
            new DeviceState(
                "zigbee2mqtt/hue1",
                DeviceStateKind.AVAILABILITY,
                Instant.ofEpochMilli(1_000),
                new JsonObject().put("state", "offline")));
    assertThat(points).hasSize(1);
    assertThat(points.get(0).series().toString())
        .isEqualTo("device.available{topic=zigbee2mqtt/hue1}");
    assertThat(points.get(0).value()).isZero();
  }
}
