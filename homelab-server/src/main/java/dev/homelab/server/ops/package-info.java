/**
 * Operational jobs of the reference server: {@link dev.homelab.server.ops.Housekeeping} removes
 * what is past its retention (audit entries, access log rows, expired revocations).
 */
package dev.homelab.server.ops;
