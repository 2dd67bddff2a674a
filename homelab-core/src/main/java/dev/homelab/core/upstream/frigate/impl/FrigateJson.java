package dev.homelab.core.upstream.frigate.impl;

import dev.homelab.core.upstream.UpstreamException;
import dev.homelab.core.upstream.frigate.FrigateCamera;
import dev.homelab.core.upstream.frigate.FrigateEvent;
import dev.homelab.core.upstream.frigate.FrigateStats;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads Frigate's answers leniently: unknown keys are ignored, numbers may come as strings ({@code
 * "5.0"}, {@code "17%"}), absent optional values stay {@code null}. What cannot be read at all (a
 * camera without a name, stats without detectors or service) fails as a malformed answer, {@link
 * UpstreamException#unavailable}.
 */
public final class FrigateJson {

  private FrigateJson() {}

  /**
   * @param upstream the upstream's name, for errors
   * @param config the answer of {@code /api/config}
   * @return its cameras, in its order
   */
  public static List<FrigateCamera> cameras(String upstream, JsonObject config) {
    JsonObject section = object(upstream, config.getValue("cameras"), "cameras");
    List<FrigateCamera> cameras = new ArrayList<>();
    for (String key : section.fieldNames()) {
      JsonObject camera = object(upstream, section.getValue(key), "cameras." + key);
      JsonObject detect = optionalObject(camera.getValue("detect"));
      List<String> zones = new ArrayList<>(optionalObject(camera.getValue("zones")).fieldNames());
      cameras.add(
          new FrigateCamera(
              text(camera.getValue("name"), key),
              text(camera.getValue("friendly_name"), null),
              bool(camera.getValue("enabled"), true),
              (int) number(detect.getValue("width"), 0),
              (int) number(detect.getValue("height"), 0),
              (int) number(detect.getValue("fps"), 0),
              bool(detect.getValue("enabled"), false),
              bool(optionalObject(camera.getValue("record")).getValue("enabled"), false),
              bool(optionalObject(camera.getValue("snapshots")).getValue("enabled"), false),
              bool(optionalObject(camera.getValue("audio")).getValue("enabled"), false),
              strings(optionalObject(camera.getValue("objects")).getValue("track")),
              zones));
    }
    return cameras;
  }

  /**
   * @param upstream the upstream's name, for errors
   * @param events the answer of {@code /api/events}
   * @return the events, in its order
   */
  public static List<FrigateEvent> events(String upstream, JsonArray events) {
    List<FrigateEvent> result = new ArrayList<>();
    for (Object value : events) {
      JsonObject event = object(upstream, value, "event");
      String id = text(event.getValue("id"), null);
      String camera = text(event.getValue("camera"), null);
      String label = text(event.getValue("label"), null);
      Double start = numberOrNull(event.getValue("start_time"));
      if (id == null || camera == null || label == null || start == null) {
        throw malformed(upstream, "an event without id, camera, label or start time");
      }
      // 0.13+: scores in data; before: top_score at the top level (null since 0.13).
      JsonObject data = optionalObject(event.getValue("data"));
      Double score = numberOrNull(data.getValue("top_score"));
      if (score == null) {
        score = numberOrNull(event.getValue("top_score"));
      }
      if (score == null) {
        score = numberOrNull(data.getValue("score"));
      }
      Double end = numberOrNull(event.getValue("end_time"));
      result.add(
          new FrigateEvent(
              id,
              camera,
              label,
              text(event.getValue("sub_label"), null),
              score == null ? 0 : score,
              instant(start),
              end == null ? null : instant(end),
              bool(event.getValue("has_clip"), false),
              bool(event.getValue("has_snapshot"), false),
              strings(event.getValue("zones"))));
    }
    return result;
  }

  /**
   * @param upstream the upstream's name, for errors
   * @param stats the answer of {@code /api/stats}, of any version
   * @return the stats, normalised
   */
  public static FrigateStats stats(String upstream, JsonObject stats) {
    JsonObject service = object(upstream, stats.getValue("service"), "service");
    JsonObject detectorsJson = object(upstream, stats.getValue("detectors"), "detectors");
    boolean legacy = !(stats.getValue("cameras") instanceof JsonObject);
    // Before 0.13 every camera is a top-level object beside detectors and service.
    JsonObject camerasJson = legacy ? stats : stats.getJsonObject("cameras");
    Map<String, FrigateStats.Camera> cameras = new LinkedHashMap<>();
    for (String name : camerasJson.fieldNames()) {
      Object value = camerasJson.getValue(name);
      if (!(value instanceof JsonObject camera) || !camera.containsKey("camera_fps")) {
        continue;
      }
      Object enabled = camera.getValue("detection_enabled");
      cameras.put(
          name,
          new FrigateStats.Camera(
              number(camera.getValue("camera_fps"), 0),
              number(camera.getValue("process_fps"), 0),
              number(camera.getValue("skipped_fps"), 0),
              number(camera.getValue("detection_fps"), 0),
              enabled == null ? null : bool(enabled, false),
              integer(camera.getValue("pid")),
              integer(camera.getValue("capture_pid")),
              integer(camera.getValue("ffmpeg_pid"))));
    }
    Map<String, FrigateStats.Detector> detectors = new LinkedHashMap<>();
    for (String name : detectorsJson.fieldNames()) {
      JsonObject detector = optionalObject(detectorsJson.getValue(name));
      detectors.put(
          name,
          new FrigateStats.Detector(
              number(detector.getValue("inference_speed"), 0),
              integer(detector.getValue("pid")),
              numberOrNull(detector.getValue("temperature"))));
    }
    Map<String, FrigateStats.CpuUsage> cpu = new LinkedHashMap<>();
    JsonObject cpuJson = optionalObject(stats.getValue("cpu_usages"));
    for (String pid : cpuJson.fieldNames()) {
      JsonObject usage = optionalObject(cpuJson.getValue(pid));
      Double now = numberOrNull(usage.getValue("cpu"));
      if (now == null) {
        continue; // 0.12 reported header lines of top as processes ("%Cpu(s):" -> "id,")
      }
      cpu.put(
          pid,
          new FrigateStats.CpuUsage(
              now,
              numberOrNull(usage.getValue("cpu_average")),
              numberOrNull(usage.getValue("mem"))));
    }
    Map<String, FrigateStats.Storage> storage = new LinkedHashMap<>();
    JsonObject storageJson = optionalObject(service.getValue("storage"));
    for (String path : storageJson.fieldNames()) {
      JsonObject mount = optionalObject(storageJson.getValue(path));
      Object type =
          mount.getValue("mount_type") != null
              ? mount.getValue("mount_type")
              : mount.getValue("mnt_type");
      storage.put(
          path,
          new FrigateStats.Storage(
              number(mount.getValue("total"), 0),
              number(mount.getValue("used"), 0),
              number(mount.getValue("free"), 0),
              text(type, null)));
    }
    String version = text(service.getValue("version"), null);
    if (version == null) {
      throw malformed(upstream, "stats without service.version");
    }
    return new FrigateStats(
        version,
        text(service.getValue("latest_version"), null),
        Duration.ofSeconds((long) number(service.getValue("uptime"), 0)),
        number(stats.getValue("detection_fps"), 0),
        cameras,
        detectors,
        cpu,
        storage,
        legacy);
  }

  private static UpstreamException malformed(String upstream, String what) {
    return UpstreamException.unavailable(upstream, "malformed answer (" + what + ")");
  }

  private static JsonObject object(String upstream, Object value, String what) {
    if (value instanceof JsonObject object) {
      return object;
    }
    throw malformed(upstream, what + " is not an object");
  }

  private static JsonObject optionalObject(Object value) {
    return value instanceof JsonObject object ? object : new JsonObject();
  }

  private static String text(Object value, String otherwise) {
    return value instanceof String text && !text.isBlank() ? text : otherwise;
  }

  private static boolean bool(Object value, boolean otherwise) {
    if (value instanceof Boolean bool) {
      return bool;
    }
    if (value instanceof Number number) {
      return number.intValue() != 0; // older stats sent detection_enabled as 0/1
    }
    return otherwise;
  }

  private static double number(Object value, double otherwise) {
    Double number = numberOrNull(value);
    return number == null ? otherwise : number;
  }

  private static Integer integer(Object value) {
    Double number = numberOrNull(value);
    return number == null ? null : number.intValue();
  }

  /** A number, or a string holding one (with a trailing {@code %}), else {@code null}. */
  static Double numberOrNull(Object value) {
    if (value instanceof Number number) {
      double d = number.doubleValue();
      return Double.isFinite(d) ? d : null;
    }
    if (value instanceof String text) {
      String trimmed = text.strip();
      if (trimmed.endsWith("%")) {
        trimmed = trimmed.substring(0, trimmed.length() - 1).strip();
      }
      try {
        double d = Double.parseDouble(trimmed);
        return Double.isFinite(d) ? d : null;
      } catch (NumberFormatException e) {
        return null;
      }
    }
    return null;
  }

  private static List<String> strings(Object value) {
    List<String> strings = new ArrayList<>();
    if (value instanceof JsonArray array) {
      for (Object item : array) {
        if (item instanceof String text) {
          strings.add(text);
        }
      }
    }
    return strings;
  }

  private static Instant instant(double epochSeconds) {
    long seconds = (long) Math.floor(epochSeconds);
    long nanos = Math.round((epochSeconds - seconds) * 1_000_000) * 1000;
    return Instant.ofEpochSecond(seconds, nanos);
  }
}
