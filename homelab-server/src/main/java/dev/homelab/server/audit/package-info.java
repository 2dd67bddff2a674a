/**
 * The server's audit trail: the {@link dev.homelab.server.audit.AuditTrail} that records who did
 * what through the HTTP API, on core's audit repository.
 */
package dev.homelab.server.audit;
