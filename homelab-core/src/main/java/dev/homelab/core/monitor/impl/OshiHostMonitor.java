package dev.homelab.core.monitor.impl;

import dev.homelab.core.monitor.HostMonitor;
import dev.homelab.core.monitor.HostSnapshot;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import oshi.SystemInfo;
import oshi.hardware.CentralProcessor;
import oshi.hardware.GlobalMemory;
import oshi.hardware.HardwareAbstractionLayer;
import oshi.hardware.NetworkIF;
import oshi.hardware.VirtualMemory;
import oshi.software.os.OSFileStore;
import oshi.software.os.OperatingSystem;

/**
 * Snapshots through OSHI on a single-thread worker executor, so that probes never run on an event
 * loop and never overlap (the tick and counter state between snapshots is touched by that one
 * thread only).
 */
public final class OshiHostMonitor implements HostMonitor {

  /** At most this many filesystems and interfaces, so that the metric series stay bounded. */
  static final int MAX_DISKS = 32;

  static final int MAX_INTERFACES = 32;

  /** Filesystems that hold no user data: memory-backed, container layers, kernel views. */
  private static final Set<String> PSEUDO_FILESYSTEMS =
      Set.of(
          "tmpfs",
          "devtmpfs",
          "ramfs",
          "overlay",
          "squashfs",
          "proc",
          "sysfs",
          "cgroup",
          "cgroup2",
          "devpts",
          "mqueue",
          "debugfs",
          "tracefs",
          "securityfs",
          "pstore",
          "efivarfs",
          "autofs",
          "fusectl",
          "configfs",
          "bpf",
          "hugetlbfs",
          "nsfs",
          "binfmt_misc");

  /** How long {@link #close()} lets a sample under way finish. */
  private static final long CLOSE_WAIT_MS = 5_000;

  private final Vertx vertx;
  private final WorkerExecutor worker;
  private volatile HostSnapshot latest;
  private volatile Future<HostSnapshot> lastSample = Future.succeededFuture();
  // State between snapshots, touched only by the worker's one thread.
  private SystemInfo system;
  private long[] cpuTicks;
  private long[][] coreTicks;
  private final Map<String, long[]> counters = new HashMap<>(); // name -> {rx, tx, timestamp}

  public OshiHostMonitor(Vertx vertx) {
    try {
      Class.forName("oshi.SystemInfo", false, OshiHostMonitor.class.getClassLoader());
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException(
          "the host monitor needs com.github.oshi:oshi-core on the class path", e);
    }
    this.vertx = vertx;
    this.worker = vertx.createSharedWorkerExecutor("homelab-host-monitor", 1);
  }

  @Override
  public Future<HostSnapshot> sample() {
    Future<HostSnapshot> sample =
        worker.executeBlocking(
            () -> {
              HostSnapshot snapshot = read();
              latest = snapshot;
              return snapshot;
            },
            true);
    lastSample = sample;
    return sample;
  }

  @Override
  public HostSnapshot latest() {
    return latest;
  }

  @Override
  public Future<Void> close() {
    // A sample still running when Vert.x closes would deliver its result to a closed event loop
    // (logged as an error): the first one, OSHI's start, takes a second or more, so a server
    // stopped soon after it started met it. Let it finish, but never hold a shutdown for long.
    Promise<Void> settled = Promise.promise();
    long timer = vertx.setTimer(CLOSE_WAIT_MS, id -> settled.tryComplete());
    lastSample.onComplete(
        done -> {
          vertx.cancelTimer(timer);
          settled.tryComplete();
        });
    return settled.future().compose(v -> worker.close());
  }

  private HostSnapshot read() {
    if (system == null) {
      system = new SystemInfo();
      CentralProcessor cpu = system.getHardware().getProcessor();
      cpuTicks = cpu.getSystemCpuLoadTicks();
      coreTicks = cpu.getProcessorCpuLoadTicks();
    }
    HardwareAbstractionLayer hardware = system.getHardware();
    OperatingSystem os = system.getOperatingSystem();
    Instant now = Instant.now();
    return new HostSnapshot(
        now,
        os.getNetworkParams().getHostName(),
        os.toString(),
        os.getSystemUptime(),
        cpu(hardware.getProcessor()),
        memory(hardware.getMemory()),
        swap(hardware.getMemory().getVirtualMemory()),
        disks(os),
        network(hardware.getNetworkIFs()),
        temperatures(hardware));
  }

  private HostSnapshot.Cpu cpu(CentralProcessor cpu) {
    double total = percent(cpu.getSystemCpuLoadBetweenTicks(cpuTicks));
    cpuTicks = cpu.getSystemCpuLoadTicks();
    double[] cores = cpu.getProcessorCpuLoadBetweenTicks(coreTicks);
    coreTicks = cpu.getProcessorCpuLoadTicks();
    List<Double> perCore = new ArrayList<>(cores.length);
    for (double core : cores) {
      perCore.add(percent(core));
    }
    List<Double> load = new ArrayList<>(3);
    for (double average : cpu.getSystemLoadAverage(3)) {
      if (average >= 0) { // OSHI reports a negative number where the OS has no load average
        load.add(average);
      }
    }
    return new HostSnapshot.Cpu(total, perCore, load);
  }

  private static double percent(double fraction) {
    return Double.isFinite(fraction) ? Math.max(0, Math.min(100, fraction * 100)) : 0;
  }

  private static HostSnapshot.Memory memory(GlobalMemory memory) {
    return HostSnapshot.Memory.of(memory.getTotal(), memory.getTotal() - memory.getAvailable());
  }

  private static HostSnapshot.Memory swap(VirtualMemory swap) {
    return HostSnapshot.Memory.of(swap.getSwapTotal(), swap.getSwapUsed());
  }

  private static List<HostSnapshot.Disk> disks(OperatingSystem os) {
    List<HostSnapshot.Disk> disks = new ArrayList<>();
    Set<String> mounts = new java.util.HashSet<>();
    for (OSFileStore store : os.getFileSystem().getFileStores(true)) {
      long total = store.getTotalSpace();
      if (total <= 0
          || PSEUDO_FILESYSTEMS.contains(store.getType())
          || !mounts.add(store.getMount())) {
        continue;
      }
      long free = store.getUsableSpace();
      long used = total - store.getFreeSpace();
      double percent = used + free == 0 ? 0 : 100.0 * used / (used + free);
      disks.add(
          new HostSnapshot.Disk(
              store.getMount(), store.getName(), store.getType(), total, used, free, percent));
      if (disks.size() == MAX_DISKS) {
        break;
      }
    }
    return disks;
  }

  private List<HostSnapshot.NetworkInterface> network(List<NetworkIF> interfaces) {
    List<HostSnapshot.NetworkInterface> result = new ArrayList<>();
    for (NetworkIF nif : interfaces) {
      if (result.size() == MAX_INTERFACES) {
        break;
      }
      nif.updateAttributes();
      long rx = nif.getBytesRecv();
      long tx = nif.getBytesSent();
      long stamp = nif.getTimeStamp();
      long[] before = counters.put(nif.getName(), new long[] {rx, tx, stamp});
      double seconds = before == null ? 0 : (stamp - before[2]) / 1000.0;
      // A counter that went back (an interface reset) gives no rate rather than a negative one.
      double rxRate = seconds > 0 && rx >= before[0] ? (rx - before[0]) / seconds : 0;
      double txRate = seconds > 0 && tx >= before[1] ? (tx - before[1]) / seconds : 0;
      result.add(new HostSnapshot.NetworkInterface(nif.getName(), rxRate, txRate, rx, tx));
    }
    return result;
  }

  private static Map<String, Double> temperatures(HardwareAbstractionLayer hardware) {
    Map<String, Double> temperatures = new LinkedHashMap<>();
    double cpu = hardware.getSensors().getCpuTemperature();
    // OSHI reports 0 or NaN when the machine has no readable sensor.
    if (Double.isFinite(cpu) && cpu > 0) {
      temperatures.put("cpu", cpu);
    }
    return temperatures;
  }
}
