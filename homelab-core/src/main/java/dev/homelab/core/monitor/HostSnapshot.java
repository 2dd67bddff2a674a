package dev.homelab.core.monitor;

import dev.homelab.core.metrics.Point;
import dev.homelab.core.metrics.SeriesKey;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What the host looked like at one moment.
 *
 * @param time when the snapshot was taken
 * @param hostname the host's name
 * @param os the operating system, for example {@code GNU/Linux Debian 12}
 * @param uptimeSeconds seconds since the host booted
 * @param cpu processor use since the previous snapshot
 * @param memory physical memory
 * @param swap swap space
 * @param disks mounted local filesystems
 * @param network network interfaces, with rates since the previous snapshot
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

  /** Copies the lists and the map. */
  public HostSnapshot {
    disks = List.copyOf(disks);
    network = List.copyOf(network);
    temperatures = Map.copyOf(temperatures);
  }

  /**
   * Processor use.
   *
   * @param percent all cores together, 0 to 100
   * @param perCore each logical core, 0 to 100
   * @param loadAverage the 1, 5 and 15 minute load averages; empty where the OS has none
   */
  public record Cpu(double percent, List<Double> perCore, List<Double> loadAverage) {
    /** Copies the lists. */
    public Cpu {
      perCore = List.copyOf(perCore);
      loadAverage = List.copyOf(loadAverage);
    }
  }

  /**
   * Memory or swap.
   *
   * @param total bytes in all
   * @param used bytes in use
   * @param percent {@code used / total}, 0 to 100 (0 when total is 0)
   */
  public record Memory(long total, long used, double percent) {
    /**
     * @param total bytes in all
     * @param used bytes in use
     * @return the usage with its percentage
     */
    public static Memory of(long total, long used) {
      return new Memory(total, used, total == 0 ? 0 : 100.0 * used / total);
    }

    /**
     * @return bytes free
     */
    public long free() {
      return total - used;
    }
  }

  /**
   * A mounted filesystem.
   *
   * @param mount where it is mounted, for example {@code /} or {@code /mnt/nas}
   * @param device the device or volume name
   * @param type the filesystem type, for example {@code ext4}
   * @param total bytes in all
   * @param used bytes in use
   * @param free bytes free to unprivileged users
   * @param percent {@code used / (used + free)}, 0 to 100, as {@code df} shows it
   */
  public record Disk(
      String mount, String device, String type, long total, long used, long free, double percent) {}

  /**
   * A network interface.
   *
   * @param name the interface's name, for example {@code eth0}
   * @param rxBytesPerSecond bytes received per second since the previous snapshot
   * @param txBytesPerSecond bytes sent per second since the previous snapshot
   * @param rxBytes bytes received since the interface came up
   * @param txBytes bytes sent since the interface came up
   */
  public record NetworkInterface(
      String name, double rxBytesPerSecond, double txBytesPerSecond, long rxBytes, long txBytes) {}

  /**
   * @return the snapshot as the API sends it (snake_case)
   */
  public JsonObject toJson() {
    JsonArray disksJson = new JsonArray();
    for (Disk d : disks) {
      disksJson.add(
          new JsonObject()
              .put("mount", d.mount())
              .put("device", d.device())
              .put("type", d.type())
              .put("total", d.total())
              .put("used", d.used())
              .put("free", d.free())
              .put("percent", d.percent()));
    }
    JsonArray networkJson = new JsonArray();
    for (NetworkInterface n : network) {
      networkJson.add(
          new JsonObject()
              .put("name", n.name())
              .put("rx_bytes_per_second", n.rxBytesPerSecond())
              .put("tx_bytes_per_second", n.txBytesPerSecond())
              .put("rx_bytes", n.rxBytes())
              .put("tx_bytes", n.txBytes()));
    }
    return new JsonObject()
        .put("timestamp", time.toString())
        .put("hostname", hostname)
        .put("os", os)
        .put("uptime_seconds", uptimeSeconds)
        .put(
            "cpu",
            new JsonObject()
                .put("percent", cpu.percent())
                .put("per_core", new JsonArray(new ArrayList<>(cpu.perCore())))
                .put("load_average", new JsonArray(new ArrayList<>(cpu.loadAverage())))
                .put("cores", cpu.perCore().size()))
        .put("memory", memoryJson(memory))
        .put("swap", memoryJson(swap))
        .put("disks", disksJson)
        .put("network", networkJson)
        .put("temperatures", new JsonObject(Map.copyOf(temperatures)));
  }

  private static JsonObject memoryJson(Memory m) {
    return new JsonObject()
        .put("total", m.total())
        .put("used", m.used())
        .put("free", m.free())
        .put("percent", m.percent());
  }

  /**
   * The snapshot as metric points, all at its time, named as {@link HostSeries} declares: {@code
   * host.cpu.percent}, {@code host.cpu.core.percent{core}}, {@code host.load{minutes}}, {@code
   * host.memory.used|total|percent}, {@code host.swap.used|percent}, {@code
   * host.disk.used|percent{mount}}, {@code host.net.rx|tx{iface}} (bytes per second), {@code
   * host.temperature{sensor}} and {@code host.uptime}.
   *
   * @return the points
   */
  public List<Point> toPoints() {
    long t = time.toEpochMilli();
    List<Point> points = new ArrayList<>();
    points.add(new Point(SeriesKey.of(HostSeries.CPU_PERCENT), t, cpu.percent()));
    for (int i = 0; i < cpu.perCore().size(); i++) {
      points.add(
          new Point(
              SeriesKey.of(
                  HostSeries.CPU_CORE_PERCENT, Map.of(HostSeries.CORE, Integer.toString(i))),
              t,
              cpu.perCore().get(i)));
    }
    String[] minutes = {"1", "5", "15"};
    for (int i = 0; i < cpu.loadAverage().size() && i < 3; i++) {
      points.add(
          new Point(
              SeriesKey.of(HostSeries.LOAD, Map.of(HostSeries.MINUTES, minutes[i])),
              t,
              cpu.loadAverage().get(i)));
    }
    points.add(new Point(SeriesKey.of(HostSeries.MEMORY_USED), t, memory.used()));
    points.add(new Point(SeriesKey.of(HostSeries.MEMORY_TOTAL), t, memory.total()));
    points.add(new Point(SeriesKey.of(HostSeries.MEMORY_PERCENT), t, memory.percent()));
    points.add(new Point(SeriesKey.of(HostSeries.SWAP_USED), t, swap.used()));
    points.add(new Point(SeriesKey.of(HostSeries.SWAP_PERCENT), t, swap.percent()));
    for (Disk d : disks) {
      Map<String, String> tag = Map.of(HostSeries.MOUNT, tagValue(d.mount()));
      points.add(new Point(SeriesKey.of(HostSeries.DISK_USED, tag), t, d.used()));
      points.add(new Point(SeriesKey.of(HostSeries.DISK_PERCENT, tag), t, d.percent()));
    }
    for (NetworkInterface n : network) {
      Map<String, String> tag = Map.of(HostSeries.IFACE, tagValue(n.name()));
      points.add(new Point(SeriesKey.of(HostSeries.NET_RX, tag), t, n.rxBytesPerSecond()));
      points.add(new Point(SeriesKey.of(HostSeries.NET_TX, tag), t, n.txBytesPerSecond()));
    }
    temperatures.forEach(
        (sensor, celsius) ->
            points.add(
                new Point(
                    SeriesKey.of(
                        HostSeries.TEMPERATURE, Map.of(HostSeries.SENSOR, tagValue(sensor))),
                    t,
                    celsius)));
    points.add(new Point(SeriesKey.of(HostSeries.UPTIME), t, uptimeSeconds));
    return points;
  }

  /** A mount point or interface name as a tag value: characters a tag may not hold become '_'. */
  static String tagValue(String raw) {
    String value = raw.replaceAll("[^A-Za-z0-9._:/@+-]", "_");
    return value.length() > SeriesKey.MAX_LENGTH ? value.substring(0, SeriesKey.MAX_LENGTH) : value;
  }
}
