/**
 * The detailed health of what the server depends on: {@link dev.homelab.core.health.SystemHealth}
 * probes the database, Redis and every configured upstream in parallel, each within its own bound,
 * and answers a {@link dev.homelab.core.health.HealthReport} that never holds a URL or a
 * credential.
 */
package dev.homelab.core.health;
