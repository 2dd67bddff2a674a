/**
 * A Frigate NVR simulator: {@link dev.homelab.simulators.frigate.FrigateSimulator} serves the HTTP
 * API of a chosen Frigate version on loopback from the recorded fixtures (config, stats of the old
 * and new shape, events) with real JPEG snapshots, event clips with byte ranges, an optional login
 * like Frigate's port 8971, and faults on demand; {@link
 * dev.homelab.simulators.frigate.FrigateSimulatorOptions} says how it behaves.
 */
package dev.homelab.simulators.frigate;
