/**
 * Simulators of the upstreams Homelab talks to, each an HTTP server on loopback built from recorded
 * answers (the fixtures under {@code dev/homelab/simulators/fixtures}), quirks included: Proxmox VE
 * ({@code proxmox}: two nodes, qemu and lxc guests that start and stop through tasks that progress
 * and can fail, errors in the status line, numbers as strings), Frigate ({@code frigate}: cameras,
 * JPEG snapshots, events, stats of old and new versions), the automation-container API ({@code
 * automation}: containers and streaming logs) and the AI hub ({@code aihub}: streaming chat).
 *
 * <p>One place for tests, examples and the server's demo mode, so that all of them run the real
 * clients over real HTTP against the same behaviour. Each simulator can also be told to misbehave
 * (answer slowly, reset, garble, fail) for the reliability tests.
 */
package dev.homelab.simulators;
