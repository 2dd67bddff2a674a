package dev.homelab.core.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.homelab.core.ValidationException;
import dev.homelab.simulators.rfid.RfidFixtures;
import dev.homelab.simulators.rfid.RfidFixtures.Fixture;
import io.vertx.core.buffer.Buffer;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every RFID reader fixture (esp-rfid, Tasmota RC522/PN532/Wiegand) on the topics its firmware
 * publishes on, and the messages that are not scans or cannot be read.
 */
class ReaderMessagesTest {

  private final ReaderMessages readers = new ReaderMessages(ReaderMessages.DEFAULT_BASE_TOPIC);

  /** The canonical card each real fixture reports. */
  private static final Map<String, String> EXPECTED =
      Map.of(
          "esp-rfid-access-known-real-0.8", "F9C2F720",
          "tasmota-pn532-sensor", "53BB1F05110001",
          "tasmota-rc522-sensor", "BA839D07",
          // 7748328 = 0x763AE8
          "tasmota-wiegand-sensor", "763AE8");

  static Stream<Fixture> fixtures() {
    return RfidFixtures.all().stream();
  }

  @Test
  void everyFixtureFileIsListed() {
    assertThat(RfidFixtures.all()).hasSize(8);
    assertThat(RfidFixtures.all())
        .allSatisfy(
            f ->
                assertThat(
                        getClass()
                            .getResource(
                                "/dev/homelab/simulators/fixtures/rfid/"
                                    + f.name()
                                    + ".source.txt"))
                    .as("the source of " + f.name())
                    .isNotNull());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("fixtures")
  void readsEveryFixtureOnItsFirmwaresTopic(Fixture fixture) {
    String topic = fixture.topic("homelab/access", "door-1");
    if (!fixture.scan()) {
      assertThat(readers.parse(topic, Buffer.buffer(fixture.payload()))).isNull();
      return;
    }
    if (fixture.placeholder()) {
      // The documentation's "token UID" is no card: a scan that cannot be read, not a crash.
      assertThatThrownBy(() -> readers.parse(topic, Buffer.buffer(fixture.payload())))
          .isInstanceOf(ValidationException.class)
          .extracting(e -> ((ValidationException) e).field())
          .isEqualTo("card_uid");
      ReaderScan scan = readers.parse(topic, Buffer.buffer(fixture.withUid("ba:83:9d:07")));
      assertThat(scan).isEqualTo(new ReaderScan("door-1", "BA839D07", format(fixture)));
      return;
    }
    ReaderScan scan = readers.parse(topic, Buffer.buffer(fixture.payload()));
    assertThat(scan)
        .isEqualTo(new ReaderScan("door-1", EXPECTED.get(fixture.name()), format(fixture)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("fixtures")
  void readsTasmotaOnItsDefaultTopicAndEverythingOnTheScanTopic(Fixture fixture) {
    if (!fixture.scan() || fixture.placeholder()) {
      return;
    }
    ReaderScan scan = readers.parse("homelab/access/door-2/scan", Buffer.buffer(fixture.payload()));
    assertThat(scan.readerId()).isEqualTo("door-2");
    assertThat(scan.cardUid()).isEqualTo(EXPECTED.get(fixture.name()));
    if (fixture.name().startsWith("tasmota")) {
      assertThat(readers.parse("tele/rfid-test/SENSOR", Buffer.buffer(fixture.payload())))
          .isEqualTo(new ReaderScan("rfid-test", EXPECTED.get(fixture.name()), "tasmota"));
    }
  }

  private static String format(Fixture fixture) {
    return fixture.name().startsWith("tasmota") ? "tasmota" : "esp-rfid";
  }

  @Test
  void readsHomelabsOwnScan() {
    assertThat(
            readers.parse(
                "homelab/access/door-1/scan", Buffer.buffer("{\"card_uid\":\"ba839d07\"}")))
        .isEqualTo(new ReaderScan("door-1", "BA839D07", "homelab"));
    assertThat(readers.parse("homelab/access/door-1/scan", Buffer.buffer("{\"card_uid\":7748328}")))
        .isEqualTo(new ReaderScan("door-1", "763AE8", "homelab"));
  }

  @Test
  void messagesThatAreNotScansAreIgnored() {
    Buffer card = Buffer.buffer("{\"card_uid\":\"BA839D07\"}");
    // Our own decisions, other devices, other bases, deeper or shallower topics.
    assertThat(readers.parse("homelab/access/door-1/decision", card)).isNull();
    assertThat(readers.parse("homelab/sensors/door-1", card)).isNull();
    assertThat(readers.parse("zigbee2mqtt/door-1/scan", card)).isNull();
    assertThat(readers.parse("homelab/access/scan", card)).isNull();
    assertThat(readers.parse("homelab/access/door-1/scan/extra", card)).isNull();
    // esp-rfid's other messages, a Tasmota SENSOR message of a thermometer, a keypad press.
    assertThat(
            readers.parse(
                "homelab/access/door-1/send",
                Buffer.buffer(
                    "{\"type\":\"WARN\",\"src\":\"rfid\",\"desc\":\"Unknown rfid tag is scanned\",\"cmd\":\"event\"}")))
        .isNull();
    assertThat(
            readers.parse(
                "homelab/access/door-1/send",
                Buffer.buffer("{\"type\":\"boot\",\"uptime\":\"0\"}")))
        .isNull();
    assertThat(
            readers.parse(
                "tele/kitchen/SENSOR",
                Buffer.buffer(
                    "{\"Time\":\"2021-01-23T13:10:50\",\"AM2301\":{\"Temperature\":21.5}}")))
        .isNull();
    assertThat(
            readers.parse(
                "tele/keypad/SENSOR",
                Buffer.buffer(
                    "{\"Time\":\"2021-01-21T16:04:12\",\"Wiegand\":{\"UID\":5,\"Size\":4}}")))
        .isNull();
  }

  @Test
  void olderWiegandBuildsQuoteTheDecimalNumber() {
    assertThat(
            readers
                .parse(
                    "tele/door/SENSOR",
                    Buffer.buffer("{\"Wiegand\":{\"UID\":\"12345678\",\"Size\":34}}"))
                .cardUid())
        .isEqualTo("BC614E"); // 12345678 decimal, although eight digits would read as hex elsewhere
    assertThat(
            readers
                .parse(
                    "tele/door/SENSOR",
                    Buffer.buffer("{\"Wiegand\":{\"UID\":\"763AE8h\",\"Size\":26}}"))
                .cardUid())
        .isEqualTo("763AE8");
  }

  @Test
  void scansThatCannotBeReadNameTheField() {
    assertField("homelab/access/door-1/scan", "not json", "payload");
    assertField("homelab/access/door-1/scan", "[1,2]", "payload");
    assertField("homelab/access/door-1/scan", "{}", "payload");
    assertField("homelab/access/door-1/scan", "{\"card_uid\":\"zz\"}", "card_uid");
    assertField("homelab/access/door-1/send", "{\"type\":\"access\",\"uid\":\"\"}", "card_uid");
    assertField("homelab/access/-bad/scan", "{\"card_uid\":\"BA839D07\"}", "reader_id");
    assertField("tele/door/SENSOR", "{\"RC522\":{\"UID\":\"token UID\"}}", "card_uid");
  }

  @Test
  void anotherBaseTopic() {
    ReaderMessages other = new ReaderMessages("site/a/doors");
    assertThat(other.filters()).contains("site/a/doors/+/scan", "tele/+/SENSOR");
    assertThat(other.decisionTopic("front")).isEqualTo("site/a/doors/front/decision");
    assertThat(other.parse("site/a/doors/front/scan", Buffer.buffer("{\"card_uid\":\"BA839D07\"}")))
        .isEqualTo(new ReaderScan("front", "BA839D07", "homelab"));
    assertThat(
            other.parse("homelab/access/front/scan", Buffer.buffer("{\"card_uid\":\"BA839D07\"}")))
        .isNull();
    assertThatThrownBy(() -> new ReaderMessages("a/#")).isInstanceOf(ValidationException.class);
    assertThatThrownBy(() -> new ReaderMessages("a/")).isInstanceOf(ValidationException.class);
  }

  private void assertField(String topic, String payload, String field) {
    assertThatThrownBy(() -> readers.parse(topic, Buffer.buffer(payload)))
        .isInstanceOf(ValidationException.class)
        .extracting(e -> ((ValidationException) e).field())
        .isEqualTo(field);
  }
}
