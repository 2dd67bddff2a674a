package dev.homelab.client.frigate;

import io.vertx.core.json.JsonObject;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * Frigate's stats, as {@code GET /api/frigate/stats} answers them: one shape whatever Frigate's
 * version. What a version does not report is {@code null}.
 *
 * @param uptimeSeconds how long Frigate has run
 * @param version its version, such as {@code 0.14.1-f4f3cfa}
 * @param latestVersion the newest release it knows of, or {@code null}
 * @param detectionFps detections per second over all cameras
 * @param cameras per camera, by name, in Frigate's order
 * @param detectors per detector, by name
 * @param cpuUsages per process id
 */
public record FrigateStats(
    long uptimeSeconds,
    String version,
    String latestVersion,
    double detectionFps,
    Map<String, Camera> cameras,
    Map<String, Detector> detectors,
    Map<String, CpuUsage> cpuUsages) {

  /** Copies the maps, keeping their order. */
  public FrigateStats {
    cameras = Collections.unmodifiableMap(new LinkedHashMap<>(cameras));
    detectors = Collections.unmodifiableMap(new LinkedHashMap<>(detectors));
    cpuUsages = Collections.unmodifiableMap(new LinkedHashMap<>(cpuUsages));
  }

  /**
   * One camera's rates, per second.
   *
   * @param fps frames received
   * @param detectionFps detections
   * @param processFps frames processed
   * @param skippedFps frames skipped
   * @param detectionEnabled whether detection is on, or {@code null} (Frigate before 0.13)
   */
  public record Camera(
      double fps,
      double detectionFps,
      double processFps,
      double skippedFps,
      Boolean detectionEnabled) {

    static Camera fromJson(JsonObject json) {
      return new Camera(
          json.getDouble("fps", 0.0),
          json.getDouble("detection_fps", 0.0),
          json.getDouble("process_fps", 0.0),
          json.getDouble("skipped_fps", 0.0),
          json.getBoolean("detection_enabled"));
    }

    JsonObject toJson() {
      return new JsonObject()
          .put("fps", fps)
          .put("detection_fps", detectionFps)
          .put("process_fps", processFps)
          .put("skipped_fps", skippedFps)
          .put("detection_enabled", detectionEnabled);
    }
  }

  /**
   * One detector.
   *
   * @param inferenceSpeedMillis its mean inference time in milliseconds
   * @param temperature its temperature in °C, or {@code null}
   */
  public record Detector(double inferenceSpeedMillis, Double temperature) {

    static Detector fromJson(JsonObject json) {
      return new Detector(json.getDouble("inference_speed", 0.0), json.getDouble("temperature"));
    }

    JsonObject toJson() {
      return new JsonObject()
          .put("inference_speed", inferenceSpeedMillis)
          .put("temperature", temperature);
    }
  }

  /**
   * One process's use, in percent.
   *
   * @param cpu CPU now
   * @param cpuAverage average CPU, or {@code null}
   * @param memory memory, or {@code null}
   */
  public record CpuUsage(double cpu, Double cpuAverage, Double memory) {

    static CpuUsage fromJson(JsonObject json) {
      return new CpuUsage(
          json.getDouble("cpu", 0.0), json.getDouble("cpu_average"), json.getDouble("mem"));
    }

    JsonObject toJson() {
      return new JsonObject().put("cpu", cpu).put("cpu_average", cpuAverage).put("mem", memory);
    }
  }

  /**
   * Reads the JSON the server sends; unknown fields are ignored.
   *
   * @param json the response body
   * @return the stats
   */
  public static FrigateStats fromJson(JsonObject json) {
    JsonObject service = json.getJsonObject("service", new JsonObject());
    return new FrigateStats(
        service.getLong("uptime", 0L),
        service.getString("version"),
        service.getString("latest_version"),
        json.getDouble("detection_fps", 0.0),
        read(json.getJsonObject("cameras"), Camera::fromJson),
        read(json.getJsonObject("detectors"), Detector::fromJson),
        read(json.getJsonObject("cpu_usages"), CpuUsage::fromJson));
  }

  /**
   * @return the JSON the server sends
   */
  public JsonObject toJson() {
    return new JsonObject()
        .put(
            "service",
            new JsonObject()
                .put("uptime", uptimeSeconds)
                .put("version", version)
                .put("latest_version", latestVersion))
        .put("detection_fps", detectionFps)
        .put("cameras", write(cameras, Camera::toJson))
        .put("detectors", write(detectors, Detector::toJson))
        .put("cpu_usages", write(cpuUsages, CpuUsage::toJson));
  }

  private static <T> Map<String, T> read(JsonObject json, Function<JsonObject, T> reader) {
    Map<String, T> map = new LinkedHashMap<>();
    if (json != null) {
      json.forEach(
          entry -> {
            if (entry.getValue() instanceof JsonObject value) {
              map.put(entry.getKey(), reader.apply(value));
            } else if (entry.getValue() instanceof Map<?, ?> value) {
              @SuppressWarnings("unchecked")
              Map<String, Object> raw = (Map<String, Object>) value;
              map.put(entry.getKey(), reader.apply(new JsonObject(raw)));
            }
          });
    }
    return map;
  }

  private static <T> JsonObject write(Map<String, T> map, Function<T, JsonObject> writer) {
    JsonObject json = new JsonObject();
    map.forEach((key, value) -> json.put(key, writer.apply(value)));
    return json;
  }
}
