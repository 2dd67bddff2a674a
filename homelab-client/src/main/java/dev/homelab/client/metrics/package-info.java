/**
 * Metric history ({@code /api/metrics}): {@link dev.homelab.client.metrics.MetricsApi}, its queries
 * and answers.
 */
package dev.homelab.client.metrics;
