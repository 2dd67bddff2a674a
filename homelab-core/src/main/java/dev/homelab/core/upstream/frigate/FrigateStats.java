package dev.homelab.core.upstream.frigate;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Map;

/**
 * Frigate's {@code /api/stats}, the same for Frigate 0.9 to 0.12 (cameras at the top level) and
 * 0.13+ (cameras under {@code cameras}). What only some versions report is {@code null} (numbers)
 * or empty (maps) when absent.
 *
 * @param version the service's version, such as {@code 0.14.1-f4f3cfa}
 * @param latestVersion the newest release Frigate knows of, or {@code null} (0.10+)
 * @param uptime how long the Frigate process has run
 * @param detectionFps detections per second over all cameras
 * @param cameras per camera, by name, in Frigate's order
 * @param detectors per detector, by name
 * @param cpuUsages per process id (as Frigate keys them), only entries whose numbers parse (0.11+)
 * @param storage per mount path
 * @param legacyShape whether the answer had the pre-0.13 shape
 */
public record FrigateStats(
    String version,
    String latestVersion,
    Duration uptime,
    double detectionFps,
    Map<String, Camera> cameras,
    Map<String, Detector> detectors,
    Map<String, CpuUsage> cpuUsages,
    Map<String, Storage> storage,
    boolean legacyShape) {

  /** Copies the maps, keeping their order. */
  public FrigateStats {
    cameras = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(cameras));
    detectors = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(detectors));
    cpuUsages = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(cpuUsages));
    storage = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(storage));
  }

  /**
   * One camera's rates.
   *
   * @param cameraFps frames per second received
   * @param processFps frames per second processed
   * @param skippedFps frames per second skipped
   * @param detectionFps detections per second
   * @param detectionEnabled whether detection is on, or {@code null} (0.13+ only; older sent 0/1)
   * @param pid the camera process, or {@code null}
   * @param capturePid the capture process, or {@code null}
   * @param ffmpegPid the ffmpeg process, or {@code null} (0.13+)
   */
  public record Camera(
      double cameraFps,
      double processFps,
      double skippedFps,
      double detectionFps,
      Boolean detectionEnabled,
      Integer pid,
      Integer capturePid,
      Integer ffmpegPid) {}

  /**
   * One detector's speed.
   *
   * @param inferenceSpeedMillis the mean inference time in milliseconds
   * @param pid its process, or {@code null}
   * @param temperature its temperature in °C, or {@code null} (some Corals, newer versions)
   */
  public record Detector(double inferenceSpeedMillis, Integer pid, Double temperature) {}

  /**
   * One process's CPU and memory use, as percentages (Frigate sends them as strings).
   *
   * @param cpu CPU percent now
   * @param cpuAverage average CPU percent, or {@code null}
   * @param memory memory percent, or {@code null}
   */
  public record CpuUsage(double cpu, Double cpuAverage, Double memory) {}

  /**
   * One mount's space in MiB.
   *
   * @param totalMib its size
   * @param usedMib what is used
   * @param freeMib what is free
   * @param mountType its file system, such as {@code ext4}, or {@code null}
   */
  public record Storage(double totalMib, double usedMib, double freeMib, String mountType) {}

  /**
   * @return the stats in the shape of seed 003's {@code GET /api/frigate/stats}, with the extras
   */
  public JsonObject toJson() {
    JsonObject cameraJson = new JsonObject();
    cameras.forEach(
        (name, c) ->
            cameraJson.put(
                name,
                new JsonObject()
                    .put("fps", c.cameraFps())
                    .put("detection_fps", c.detectionFps())
                    .put("process_fps", c.processFps())
                    .put("skipped_fps", c.skippedFps())
                    .put("detection_enabled", c.detectionEnabled())));
    JsonObject detectorJson = new JsonObject();
    detectors.forEach(
        (name, d) ->
            detectorJson.put(
                name,
                new JsonObject()
                    .put("inference_speed", d.inferenceSpeedMillis())
                    .put("temperature", d.temperature())));
    JsonObject cpuJson = new JsonObject();
    cpuUsages.forEach(
        (pid, u) ->
            cpuJson.put(
                pid,
                new JsonObject()
                    .put("cpu", u.cpu())
                    .put("cpu_average", u.cpuAverage())
                    .put("mem", u.memory())));
    return new JsonObject()
        .put(
            "service",
            new JsonObject()
                .put("uptime", uptime.toSeconds())
                .put("version", version)
                .put("latest_version", latestVersion))
        .put("detection_fps", detectionFps)
        .put("cameras", cameraJson)
        .put("detectors", detectorJson)
        .put("cpu_usages", cpuJson);
  }
}
