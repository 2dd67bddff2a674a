package dev.homelab.core.upstream.proxmox;

import java.time.Instant;
import java.util.Map;

/**
 * One row of Proxmox RRD history: averages over one step. A node has {@code cpu}, {@code iowait},
 * {@code loadavg}, {@code maxcpu}, {@code memtotal}, {@code memused}, {@code netin}, {@code
 * netout}, {@code roottotal}, {@code rootused}, {@code swaptotal}, {@code swapused} (PVE 9 adds
 * {@code memavailable}, {@code arcsize} and {@code pressure*}); a guest has {@code cpu}, {@code
 * maxcpu}, {@code mem}, {@code maxmem}, {@code disk}, {@code maxdisk}, {@code diskread}, {@code
 * diskwrite}, {@code netin}, {@code netout}. A column without a sample is absent, not 0.
 *
 * @param time the start of the step
 * @param values the columns that have a value
 */
public record RrdPoint(Instant time, Map<String, Double> values) {

  /** Keeps the values unmodifiable. */
  public RrdPoint {
    values = Map.copyOf(values);
  }

  /**
   * @param column a column name, such as {@code cpu}
   * @return its value, or {@code null} when this step has none
   */
  public Double value(String column) {
    return values.get(column);
  }
}
