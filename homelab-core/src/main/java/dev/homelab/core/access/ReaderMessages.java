package dev.homelab.core.access;

import dev.homelab.core.ValidationException;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.math.BigInteger;
import java.util.List;
import java.util.Objects;

/**
 * Reads card scans out of what door readers publish over MQTT, whatever their firmware.
 *
 * <p>Under a base topic ({@value #DEFAULT_BASE_TOPIC} by default), a reader's messages are:
 *
 * <ul>
 *   <li>{@code <base>/<reader>/scan}: Homelab's own, {@code {"card_uid": "BA839D07"}} (any of the
 *       payloads below is accepted here too);
 *   <li>{@code <base>/<reader>/send}: esp-rfid with its MQTT topic set to {@code <base>/<reader>};
 *       {@code {"type": "access", "uid": "f9c2f720", ...}} is a scan, any other {@code type}
 *       (heartbeat, boot, log events, command replies) is not;
 *   <li>{@code <base>/<reader>/tag}: esp-rfid in Home Assistant mode, {@code {"uid": ...}};
 *   <li>{@code <base>/<reader>/tele/SENSOR}: Tasmota with {@code FullTopic
 *       homelab/access/%topic%/%prefix%/}, and {@code tele/<reader>/SENSOR}, Tasmota's default:
 *       {@code {"RC522": {"UID": "BA839D07"}}}, {@code PN532} likewise, {@code {"Wiegand": {"UID":
 *       7748328, "Size": 26}}}. A SENSOR message without a reader (other sensors' telemetry) is not
 *       a scan, nor is a Wiegand keypad press (4 or 8 bits).
 * </ul>
 *
 * <p>What each firmware decided on its own (esp-rfid's {@code isKnown} and {@code access}) is
 * ignored: the {@link AccessEngine} decides. Decisions go to {@code <base>/<reader>/decision}.
 * Stateless and thread-safe.
 */
public final class ReaderMessages {

  /** The base topic of Homelab's readers: {@value}. */
  public static final String DEFAULT_BASE_TOPIC = "homelab/access";

  /** The formats a {@link ReaderScan} names. */
  public static final String HOMELAB = "homelab";

  /** esp-rfid's messages. */
  public static final String ESP_RFID = "esp-rfid";

  /** Tasmota's SENSOR messages. */
  public static final String TASMOTA = "tasmota";

  private static final List<String> TASMOTA_READERS =
      List.of("RC522", "PN532", "Wiegand", "MFRC522", "RDM6300");

  private final String base;
  private final int baseLevels;

  /**
   * @param baseTopic the readers' base topic, without wildcards or a trailing slash
   * @throws ValidationException (field {@code topic}) if it is not a topic name
   */
  public ReaderMessages(String baseTopic) {
    Objects.requireNonNull(baseTopic, "baseTopic");
    if (baseTopic.isEmpty()
        || baseTopic.endsWith("/")
        || baseTopic.startsWith("/")
        || baseTopic.contains("+")
        || baseTopic.contains("#")) {
      throw new ValidationException(
          "topic",
          "the readers' base topic must be a topic name without wildcards or edge slashes");
    }
    this.base = baseTopic;
    this.baseLevels = baseTopic.split("/", -1).length;
  }

  /**
   * @return the base topic
   */
  public String baseTopic() {
    return base;
  }

  /**
   * @return the topic filters that cover every reader message this parser reads
   */
  public List<String> filters() {
    return List.of(
        base + "/+/scan",
        base + "/+/send",
        base + "/+/tag",
        base + "/+/tele/SENSOR",
        "tele/+/SENSOR");
  }

  /**
   * @param readerId a reader
   * @return where its decisions are published: {@code <base>/<reader>/decision}
   */
  public String decisionTopic(String readerId) {
    return base + "/" + readerId + "/decision";
  }

  /**
   * @param readerId a reader
   * @return the topics under which the reader's own messages lie: {@code <base>/<reader>/}
   */
  public String readerPrefix(String readerId) {
    return base + "/" + readerId + "/";
  }

  /**
   * Reads a message.
   *
   * @param topic the topic it was published on
   * @param payload its bytes
   * @return the scan it reports, or {@code null} when it is not a scan: not a reader topic (a
   *     decision, another device's state), or a reader message that reports no card (a heartbeat, a
   *     keypad press, another sensor's reading)
   * @throws ValidationException when it is a scan that cannot be read: {@code payload} not a JSON
   *     object or without a card, {@code card_uid} not a UID, {@code reader_id} not a reader id
   */
  public ReaderScan parse(String topic, Buffer payload) {
    String[] levels = topic.split("/", -1);
    String reader;
    String kind;
    if (levels.length == 3 && "tele".equals(levels[0]) && "SENSOR".equals(levels[2])) {
      reader = levels[1];
      kind = "tele/SENSOR";
    } else if (topic.startsWith(base + "/")
        && (levels.length == baseLevels + 2 || levels.length == baseLevels + 3)) {
      reader = levels[baseLevels];
      kind = String.join("/", List.of(levels).subList(baseLevels + 1, levels.length));
    } else {
      return null;
    }
    return switch (kind) {
      case "scan" -> scan(reader, json(payload), true);
      case "send" -> espRfidSend(reader, json(payload));
      case "tag" -> {
        JsonObject json = json(payload);
        yield json.containsKey("uid") ? scan(reader, ESP_RFID, json.getValue("uid")) : null;
      }
      case "tele/SENSOR" -> tasmota(reader, json(payload));
      default -> null;
    };
  }

  private ReaderScan scan(String reader, JsonObject json, boolean required) {
    if (json.containsKey("card_uid")) {
      return scan(reader, HOMELAB, json.getValue("card_uid"));
    }
    if (json.containsKey("uid") || json.containsKey("type")) {
      ReaderScan scan = espRfidSend(reader, json);
      if (scan != null || !required) {
        return scan;
      }
    }
    ReaderScan scan = tasmota(reader, json);
    if (scan == null && required) {
      throw new ValidationException("payload", "the scan names no card: send {\"card_uid\": ...}");
    }
    return scan;
  }

  private ReaderScan espRfidSend(String reader, JsonObject json) {
    Object type = json.getValue("type");
    if (type != null && !"access".equals(type)) {
      return null; // heartbeat, boot, log events, command replies
    }
    return json.containsKey("uid") ? scan(reader, ESP_RFID, json.getValue("uid")) : null;
  }

  private ReaderScan tasmota(String reader, JsonObject json) {
    for (String sensor : TASMOTA_READERS) {
      if (json.getValue(sensor) instanceof JsonObject reading && reading.containsKey("UID")) {
        Object uid = reading.getValue("UID");
        if ("Wiegand".equals(sensor)) {
          Object size = reading.getValue("Size");
          if (size instanceof Number bits && (bits.intValue() == 4 || bits.intValue() == 8)) {
            return null; // a keypad press, not a card
          }
          // Older builds quote the decimal card number: digits only are decimal here, whatever
          // their count (CardUid would read 8 digits as hex).
          if (uid instanceof String text
              && !text.isEmpty()
              && text.chars().allMatch(Character::isDigit)
              && text.chars().allMatch(c -> c < 128)) {
            uid = new BigInteger(text);
          }
        }
        return scan(reader, TASMOTA, uid);
      }
    }
    return null;
  }

  private static ReaderScan scan(String reader, String format, Object uid) {
    return new ReaderScan(
        ReaderIds.check("reader_id", reader), CardUid.normalize("card_uid", uid), format);
  }

  private static JsonObject json(Buffer payload) {
    try {
      Object value = io.vertx.core.json.Json.decodeValue(payload);
      if (value instanceof JsonObject object) {
        return object;
      }
    } catch (DecodeException e) {
      // reported below
    }
    throw new ValidationException("payload", "a reader's message must be a JSON object");
  }
}
