/**
 * A simulator of seed 003's AI hub (a Claude Code API): streaming chat over Server-Sent Events in
 * the hub's event format, a process per chat that can be cancelled and listed, behind HTTP Basic
 * authentication, with faults for tests. See {@link dev.homelab.simulators.aihub.AiHubSimulator}.
 */
package dev.homelab.simulators.aihub;
