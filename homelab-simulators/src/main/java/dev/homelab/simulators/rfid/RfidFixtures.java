package dev.homelab.simulators.rfid;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The RFID reader payloads under {@code dev/homelab/simulators/fixtures/rfid} (copied from the
 * upstream references, each with a {@code .source.txt} saying where it comes from), each with the
 * kind of topic its firmware publishes it on.
 */
public final class RfidFixtures {

  /** Where the fixtures are on the classpath. */
  static final String FOLDER = "/dev/homelab/simulators/fixtures/rfid/";

  /** The placeholder the esp-rfid documentation writes where a card UID goes. */
  public static final String DOCS_PLACEHOLDER_UID = "token UID";

  /** Which topic a firmware publishes a payload on, relative to the reader's own topic. */
  public enum Channel {
    /** esp-rfid's {@code <TOPIC>/send}: access events, heartbeats, boot and log messages. */
    ESP_RFID_SEND("send"),
    /** esp-rfid's Home Assistant mode, {@code <TOPIC>/tag}: one message per scan. */
    ESP_RFID_TAG("tag"),
    /**
     * Tasmota's {@code tele/<topic>/SENSOR}; under Homelab's topics {@code
     * homelab/access/<id>/tele/SENSOR} (Tasmota {@code FullTopic
     * homelab/access/%topic%/%prefix%/}).
     */
    TASMOTA_SENSOR("tele/SENSOR");

    private final String suffix;

    Channel(String suffix) {
      this.suffix = suffix;
    }

    /**
     * @return the topic levels after the reader's own topic
     */
    public String suffix() {
      return suffix;
    }
  }

  /**
   * One payload.
   *
   * @param name the file name without {@code .json}
   * @param payload the file's text, verbatim
   * @param channel where its firmware publishes it
   * @param scan whether it reports a card scan (a heartbeat does not)
   * @param placeholder whether its UID is the documentation's placeholder rather than a real one
   */
  public record Fixture(
      String name, String payload, Channel channel, boolean scan, boolean placeholder) {

    /**
     * @param base the readers' base topic, such as {@code homelab/access}
     * @param reader the reader's id
     * @return the topic the reader publishes this payload on
     */
    public String topic(String base, String reader) {
      return base + "/" + reader + "/" + channel.suffix();
    }

    /**
     * @return the card UID as the payload holds it (a string, or a number for Wiegand), or {@code
     *     null} if it holds none
     */
    public Object uid() {
      JsonObject json = new JsonObject(payload);
      JsonObject holder = uidHolder(json);
      return holder == null ? null : holder.getValue(holder.containsKey("uid") ? "uid" : "UID");
    }

    /**
     * @param uid a card UID, a string or (Wiegand) a number
     * @return the payload re-encoded with that UID in place of its own
     */
    public String withUid(Object uid) {
      JsonObject json = new JsonObject(payload);
      JsonObject holder = uidHolder(json);
      if (holder == null) {
        throw new IllegalStateException(name + " holds no card UID");
      }
      holder.put(holder.containsKey("uid") ? "uid" : "UID", uid);
      return json.encode();
    }

    private static JsonObject uidHolder(JsonObject json) {
      if (json.containsKey("uid")) {
        return json;
      }
      for (String sensor : List.of("RC522", "PN532", "Wiegand")) {
        if (json.getValue(sensor) instanceof JsonObject reading) {
          return reading;
        }
      }
      return null;
    }
  }

  private static final List<String> NAMES =
      List.of(
          "esp-rfid-access-known-docs-v2",
          "esp-rfid-access-known-real-0.8",
          "esp-rfid-access-unknown-docs-v2",
          "esp-rfid-ha-tag-docs-v2",
          "esp-rfid-heartbeat-docs-v2",
          "tasmota-pn532-sensor",
          "tasmota-rc522-sensor",
          "tasmota-wiegand-sensor");

  private RfidFixtures() {}

  /**
   * Reads every fixture from the classpath: blocking, call it off the event loop.
   *
   * @return the fixtures, by name
   */
  public static List<Fixture> all() {
    return NAMES.stream().map(RfidFixtures::load).toList();
  }

  /**
   * @return the names of every fixture file, without {@code .json}
   */
  public static List<String> names() {
    return NAMES;
  }

  private static Fixture load(String name) {
    String payload = read(name + ".json");
    Channel channel =
        name.startsWith("tasmota-")
            ? Channel.TASMOTA_SENSOR
            : name.startsWith("esp-rfid-ha-tag") ? Channel.ESP_RFID_TAG : Channel.ESP_RFID_SEND;
    return new Fixture(
        name,
        payload,
        channel,
        !name.contains("heartbeat"),
        payload.contains("\"" + DOCS_PLACEHOLDER_UID + "\""));
  }

  private static String read(String file) {
    try (InputStream in = RfidFixtures.class.getResourceAsStream(FOLDER + file)) {
      if (in == null) {
        throw new IllegalStateException("no fixture " + FOLDER + file + " on the classpath");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
