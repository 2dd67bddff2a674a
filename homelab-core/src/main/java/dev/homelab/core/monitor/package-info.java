/**
 * Host monitoring: CPU, load, memory and swap, mounted filesystems, network rates, temperatures and
 * uptime of the machine the JVM runs on, read with OSHI on a worker thread, never on an event loop.
 *
 * <p>{@link dev.homelab.core.monitor.HostMonitor} takes snapshots; {@link
 * dev.homelab.core.monitor.HostCollector} turns them into metric points for a {@link
 * dev.homelab.core.metrics.CollectorScheduler}. OSHI is an optional dependency of core: an app that
 * uses the monitor adds {@code com.github.oshi:oshi-core}.
 */
package dev.homelab.core.monitor;
