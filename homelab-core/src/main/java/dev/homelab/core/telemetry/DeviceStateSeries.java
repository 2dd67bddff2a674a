package dev.homelab.core.telemetry;

import dev.homelab.core.metrics.MetricTable;
import dev.homelab.core.metrics.MetricTable.Column;
import dev.homelab.core.metrics.MetricTable.Combine;
import dev.homelab.core.metrics.MetricTable.Statistic;
import dev.homelab.core.metrics.Point;
import dev.homelab.core.metrics.SeriesKey;
import dev.homelab.core.metrics.SeriesSelector;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The metric series a device's recorded states become, declared once: the {@link
 * DeviceStateRecorder} writes them, {@link DeviceStateHistory} reads them back as a table.
 *
 * <p>Each numeric field of a state is the series {@code device.<field>} tagged {@code topic=<the
 * device's topic as a tag>}: {@code
 * device.temperature{topic=zigbee2mqtt/livingroom/temp_humidity}}. What counts as a number:
 *
 * <ul>
 *   <li>a JSON number;
 *   <li>a string that is a decimal number ({@code "37.00"}: old zigbee2mqtt sent the battery so);
 *   <li>{@code true}/{@code false} and the strings {@code ON}/{@code OFF}: 1 and 0, so that a
 *       switch's or a contact's history is a series too (its average over a bucket is the share of
 *       the time it was on);
 *   <li>a number one level down, as {@code color.x}, becomes {@code color_x}.
 * </ul>
 *
 * Field names are lower-cased and every character outside {@code [a-z0-9_]} becomes {@code _};
 * {@code last_seen} and anything else are left out, and a state gives at most {@value #MAX_FIELDS}
 * series. A device's availability is the series {@code device.available}: 1 online, 0 offline.
 *
 * <p><b>The topic as a tag.</b> Tag values are limited to {@code [A-Za-z0-9._:/@+-]} and 128
 * characters, and friendly names may hold spaces or any other character. A character outside {@code
 * [A-Za-z0-9._:/-]} (the space, {@code +} and {@code @} included) is written as {@code +} and the
 * two upper-case hex digits of each of its UTF-8 bytes ({@code Temperatur Balkon} becomes {@code
 * Temperatur+20Balkon}), so the mapping is one to one. A topic still longer than 128 characters is
 * cut to 119 and followed by {@code @} and the first 8 hex digits of its SHA-256.
 */
public final class DeviceStateSeries {

  private DeviceStateSeries() {}

  /** The prefix of every device series: {@value}. */
  public static final String PREFIX = "device.";

  /** The tag every device series carries: the device's topic, as {@link #topicTag} writes it. */
  public static final String TOPIC = "topic";

  /** The series of a device's availability: {@value}. */
  public static final String AVAILABLE = "device.available";

  /** The most series one state gives: {@value}. */
  public static final int MAX_FIELDS = 32;

  private static final Pattern NUMBER = Pattern.compile("-?\\d+(\\.\\d+)?([eE][-+]?\\d+)?");
  private static final int MAX_FIELD_LENGTH = 60;

  /**
   * @param topic a device's topic
   * @return the topic as a tag value (see the class comment)
   */
  public static String topicTag(String topic) {
    StringBuilder tag = new StringBuilder(topic.length());
    for (byte b : topic.getBytes(StandardCharsets.UTF_8)) {
      char c = (char) (b & 0xff);
      boolean plain =
          b >= 0
              && ((c >= 'a' && c <= 'z')
                  || (c >= 'A' && c <= 'Z')
                  || (c >= '0' && c <= '9')
                  || c == '.'
                  || c == '_'
                  || c == ':'
                  || c == '/'
                  || c == '-');
      if (plain) {
        tag.append(c);
      } else {
        tag.append('+').append(HexFormat.of().withUpperCase().toHexDigits(b));
      }
    }
    if (tag.length() <= SeriesKey.MAX_LENGTH) {
      return tag.toString();
    }
    int cut = 119;
    // Never cut an escape in two: it would read as another character.
    if (tag.charAt(cut - 1) == '+') {
      cut -= 1;
    } else if (tag.charAt(cut - 2) == '+') {
      cut -= 2;
    }
    return tag.substring(0, cut) + "@" + sha256(topic).substring(0, 8);
  }

  private static String sha256(String text) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  /**
   * @param field a field name as {@link #fields} gives it
   * @param topic a device's topic
   * @return the field's series for that device
   */
  public static SeriesKey series(String field, String topic) {
    return SeriesKey.of(PREFIX + field, Map.of(TOPIC, topicTag(topic)));
  }

  /**
   * @param state a device's state
   * @return its numeric fields by series field name, in the state's order, at most {@value
   *     #MAX_FIELDS}
   */
  public static Map<String, Double> fields(JsonObject state) {
    Map<String, Double> fields = new LinkedHashMap<>();
    for (Map.Entry<String, Object> entry : state) {
      if (entry.getValue() instanceof JsonObject nested) {
        for (Map.Entry<String, Object> inner : nested) {
          add(fields, entry.getKey() + "_" + inner.getKey(), inner.getValue());
        }
      } else {
        add(fields, entry.getKey(), entry.getValue());
      }
    }
    return fields;
  }

  private static void add(Map<String, Double> fields, String name, Object value) {
    if (fields.size() >= MAX_FIELDS || "last_seen".equals(name)) {
      return;
    }
    Double number = number(value);
    String field = fieldName(name);
    if (number != null && field != null && !field.equals("available")) {
      fields.putIfAbsent(field, number);
    }
  }

  private static Double number(Object value) {
    double number;
    if (value instanceof Number n) {
      number = n.doubleValue();
    } else if (value instanceof Boolean b) {
      number = b ? 1 : 0;
    } else if ("ON".equals(value)) {
      number = 1;
    } else if ("OFF".equals(value)) {
      number = 0;
    } else if (value instanceof String s && NUMBER.matcher(s.strip()).matches()) {
      number = Double.parseDouble(s.strip());
    } else {
      return null;
    }
    return Double.isFinite(number) ? number : null;
  }

  private static String fieldName(String name) {
    StringBuilder field = new StringBuilder();
    for (char c : name.toLowerCase(Locale.ROOT).toCharArray()) {
      field.append((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ? c : '_');
    }
    if (field.isEmpty()
        || field.length() > MAX_FIELD_LENGTH
        || !Character.isLetter(field.charAt(0))
        // A table's rows already have a timestamp.
        || field.toString().equals("timestamp")) {
      return null;
    }
    return field.toString();
  }

  /**
   * @param change a recorded change
   * @return the points it gives: one per numeric field of a state, {@code device.available} for an
   *     availability
   */
  public static List<Point> points(DeviceState change) {
    long time = change.time().toEpochMilli();
    List<Point> points = new ArrayList<>();
    JsonObject state = change.state();
    if (change.kind() == DeviceStateKind.AVAILABILITY) {
      points.add(
          new Point(
              SeriesKey.of(AVAILABLE, Map.of(TOPIC, topicTag(change.topic()))),
              time,
              "online".equals(state.getString("state")) ? 1 : 0));
      return points;
    }
    fields(state)
        .forEach(
            (field, value) -> points.add(new Point(series(field, change.topic()), time, value)));
    return points;
  }

  /**
   * A device's numeric history: one column per series of the device, named by its field ({@code
   * temperature}, {@code linkquality}, {@code available}...), each the average over its bucket.
   *
   * @param topic the device's topic
   * @param series every series written (the downsampler's), of which the device's are taken
   * @return the table, or {@code null} if the device has no series
   */
  public static MetricTable table(String topic, List<SeriesKey> series) {
    String tag = topicTag(topic);
    List<String> fields = new ArrayList<>();
    for (SeriesKey key : series) {
      if (key.name().startsWith(PREFIX) && tag.equals(key.tag(TOPIC))) {
        fields.add(key.name().substring(PREFIX.length()));
      }
    }
    if (fields.isEmpty()) {
      return null;
    }
    fields.sort(null);
    MetricTable.Builder table = MetricTable.builder();
    for (String field : fields) {
      SeriesKey key = SeriesKey.of(PREFIX + field, Map.of(TOPIC, tag));
      table.column(new Column(field, SeriesSelector.of(key), Statistic.AVG, Combine.MAX));
    }
    return table.primary(fields.get(0)).build();
  }
}
