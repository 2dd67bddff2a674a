/**
 * The audit log ({@code /api/audit}, administrators only), through {@link
 * dev.homelab.client.audit.AuditApi}.
 */
package dev.homelab.client.audit;
