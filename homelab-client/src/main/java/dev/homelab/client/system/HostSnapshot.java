package dev.homelab.client.system;

import dev.homelab.client.internal.JsonFields;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The host's state at one moment, as {@code GET /api/system} answers.
 *
 * @param time when it was taken
 * @param hostname the host's name
 * @param os the operating system
 * @param uptimeSeconds seconds since the host booted
 * @param cpu processor use
 * @param memory physical memory
 * @param swap swap space
 * @param disks mounted local filesystems
 * @param network network interfaces
 * @param temperatures sensor name to degrees Celsius; empty when the machine reports none
 */
public record HostSnapshot(
    Instant time,
    String hostname,
    String os,
    long uptimeSeconds,
    Cpu cpu,
    Memory memory,
    Memory swap,
    List<Disk> disks,
    List<NetworkInterface> network,
    Map<String, Double> temperatures) {

  /**
   * @param percent all cores, 0 to 100
   * @param perCore each logical core, 0 to 100
   * @param loadAverage 1, 5 and 15 minute load averages; empty where the OS has none
   */
  public record Cpu(double percent, List<Double> perCore, List<Double> loadAverage) {}

  /**
   * @param total bytes in all
   * @param used bytes in use
   * @param free bytes free
   * @param percent used, 0 to 100
   */
  public record Memory(long total, long used, long free, double percent) {
    static Memory fromJson(JsonObject json) {
      return new Memory(
          json.getLong("total", 0L),
          json.getLong("used", 0L),
          json.getLong("free", 0L),
          JsonFields.number(json, "percent"));
    }
  }

  /**
   * @param mount where it is mounted
   * @param device the device or volume
   * @param type the filesystem type
   * @param total bytes in all
   * @param used bytes in use
   * @param free bytes free to unprivileged users
   * @param percent used, 0 to 100
   */
  public record Disk(
      String mount, String device, String type, long total, long used, long free, double percent) {}

  /**
   * @param name the interface
   * @param rxBytesPerSecond received per second
   * @param txBytesPerSecond sent per second
   * @param rxBytes received since it came up
   * @param txBytes sent since it came up
   */
  public record NetworkInterface(
      String name, double rxBytesPerSecond, double txBytesPerSecond, long rxBytes, long txBytes) {}

  /**
   * @param json the server's JSON
   * @return the snapshot; unknown fields are ignored
   */
  public static HostSnapshot fromJson(JsonObject json) {
    JsonObject cpu = json.getJsonObject("cpu", new JsonObject());
    List<Disk> disks = new ArrayList<>();
    for (Object o : json.getJsonArray("disks", new JsonArray())) {
      JsonObject d = (JsonObject) o;
      disks.add(
          new Disk(
              d.getString("mount"),
              d.getString("device"),
              d.getString("type"),
              d.getLong("total", 0L),
              d.getLong("used", 0L),
              d.getLong("free", 0L),
              JsonFields.number(d, "percent")));
    }
    List<NetworkInterface> network = new ArrayList<>();
    for (Object o : json.getJsonArray("network", new JsonArray())) {
      JsonObject n = (JsonObject) o;
      network.add(
          new NetworkInterface(
              n.getString("name"),
              JsonFields.number(n, "rx_bytes_per_second"),
              JsonFields.number(n, "tx_bytes_per_second"),
              n.getLong("rx_bytes", 0L),
              n.getLong("tx_bytes", 0L)));
    }
    Map<String, Double> temperatures = new LinkedHashMap<>();
    json.getJsonObject("temperatures", new JsonObject())
        .forEach(e -> temperatures.put(e.getKey(), ((Number) e.getValue()).doubleValue()));
    return new HostSnapshot(
        JsonFields.instant(json, "timestamp"),
        json.getString("hostname"),
        json.getString("os"),
        json.getLong("uptime_seconds", 0L),
        new Cpu(
            JsonFields.number(cpu, "percent"),
            numbers(cpu.getJsonArray("per_core")),
            numbers(cpu.getJsonArray("load_average"))),
        Memory.fromJson(json.getJsonObject("memory", new JsonObject())),
        Memory.fromJson(json.getJsonObject("swap", new JsonObject())),
        List.copyOf(disks),
        List.copyOf(network),
        Map.copyOf(temperatures));
  }

  static List<Double> numbers(JsonArray array) {
    List<Double> values = new ArrayList<>();
    if (array != null) {
      for (Object o : array) {
        values.add(((Number) o).doubleValue());
      }
    }
    return List.copyOf(values);
  }
}
