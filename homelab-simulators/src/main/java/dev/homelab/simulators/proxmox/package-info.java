/**
 * A simulated Proxmox VE server: {@link dev.homelab.simulators.proxmox.ProxmoxSimulator} serves one
 * node's {@code /api2/json} over HTTPS on loopback, with API-token authentication, qemu and lxc
 * guests ({@link dev.homelab.simulators.proxmox.SimulatedGuest}) that start, stop, shut down and
 * reboot through tasks, and the quirks of the real API: numbers as strings, booleans as 0/1, the
 * error text in the status line (and in the body only from PVE 8.3), 501 for unknown paths, 595 and
 * 596 for an unreachable node.
 *
 * <p>Its answers start from the recorded fixtures under {@code
 * dev/homelab/simulators/fixtures/proxmox}, so what the client parses in tests has the shape of
 * what real servers sent. Faults (slow answers, reset connections, garbled bodies, failing
 * requests) can be switched on for reliability tests and demos.
 */
package dev.homelab.simulators.proxmox;
