/**
 * A simulator of seed 003's automation-container API: containers that start, stop and restart, and
 * their logs as a Server-Sent Events stream, behind HTTP Basic authentication, with faults for
 * tests. See {@link dev.homelab.simulators.automation.AutomationSimulator}.
 */
package dev.homelab.simulators.automation;
