package dev.homelab.core.monitor;

import dev.homelab.core.metrics.MetricTable;
import dev.homelab.core.metrics.MetricTable.Combine;
import dev.homelab.core.metrics.SeriesKey;
import dev.homelab.core.metrics.SeriesSelector;
import java.util.Map;

/**
 * The names of the host's series and tags, declared once: {@link HostSnapshot#toPoints()} writes
 * them, {@link #TABLE} reads them back, and an app that queries the host's history can use them
 * instead of spelling the names again.
 */
public final class HostSeries {

  private HostSeries() {}

  /** CPU use, all cores together, 0 to 100. */
  public static final String CPU_PERCENT = "host.cpu.percent";

  /** CPU use of one logical core ({@link #CORE}), 0 to 100. */
  public static final String CPU_CORE_PERCENT = "host.cpu.core.percent";

  /** A load average over some minutes ({@link #MINUTES}: 1, 5 or 15). */
  public static final String LOAD = "host.load";

  /** Physical memory in use, bytes. */
  public static final String MEMORY_USED = "host.memory.used";

  /** Physical memory in all, bytes. */
  public static final String MEMORY_TOTAL = "host.memory.total";

  /** Physical memory in use, 0 to 100. */
  public static final String MEMORY_PERCENT = "host.memory.percent";

  /** Swap in use, bytes. */
  public static final String SWAP_USED = "host.swap.used";

  /** Swap in use, 0 to 100. */
  public static final String SWAP_PERCENT = "host.swap.percent";

  /** A filesystem's ({@link #MOUNT}) bytes in use. */
  public static final String DISK_USED = "host.disk.used";

  /** A filesystem's ({@link #MOUNT}) use, 0 to 100. */
  public static final String DISK_PERCENT = "host.disk.percent";

  /** Bytes received per second by an interface ({@link #IFACE}). */
  public static final String NET_RX = "host.net.rx";

  /** Bytes sent per second by an interface ({@link #IFACE}). */
  public static final String NET_TX = "host.net.tx";

  /** A sensor's ({@link #SENSOR}) temperature, degrees Celsius. */
  public static final String TEMPERATURE = "host.temperature";

  /** Seconds since the host booted. */
  public static final String UPTIME = "host.uptime";

  /** The tag of {@link #CPU_CORE_PERCENT}: the core's index, from 0. */
  public static final String CORE = "core";

  /** The tag of {@link #LOAD}: over how many minutes. */
  public static final String MINUTES = "minutes";

  /** The tag of {@link #DISK_USED} and {@link #DISK_PERCENT}: where the filesystem is mounted. */
  public static final String MOUNT = "mount";

  /** The tag of {@link #NET_RX} and {@link #NET_TX}: the interface's name. */
  public static final String IFACE = "iface";

  /** The tag of {@link #TEMPERATURE}: the sensor's name. */
  public static final String SENSOR = "sensor";

  /** The loopback interface's name: its traffic never leaves the host. */
  public static final String LOOPBACK = "lo";

  /**
   * The host's history in the shape of seed 003's {@code /api/metrics/host}: {@code cpu_percent},
   * {@code ram_used}, {@code ram_total}, {@code ram_percent}, {@code swap_used}, {@code load_1}
   * (each its series' bucket average), and {@code net_rx} and {@code net_tx}, every interface but
   * loopback added up. Reductions follow {@code cpu_percent}.
   */
  public static final MetricTable TABLE =
      MetricTable.builder()
          .column("cpu_percent", SeriesKey.of(CPU_PERCENT))
          .column("ram_used", SeriesKey.of(MEMORY_USED))
          .column("ram_total", SeriesKey.of(MEMORY_TOTAL))
          .column("ram_percent", SeriesKey.of(MEMORY_PERCENT))
          .column("swap_used", SeriesKey.of(SWAP_USED))
          .column("load_1", SeriesKey.of(LOAD, Map.of(MINUTES, "1")))
          .column("net_rx", interfaces(NET_RX), Combine.SUM)
          .column("net_tx", interfaces(NET_TX), Combine.SUM)
          .primary("cpu_percent")
          .build();

  /** Every interface's series of one name but loopback's. */
  private static SeriesSelector interfaces(String name) {
    return SeriesSelector.named(name).withoutTag(IFACE, LOOPBACK);
  }
}
