/**
 * Telemetry: sensor readings. {@link dev.homelab.core.telemetry.SensorIngest} validates readings,
 * stores them durably with group commit (a caller's future completes only after the commit that
 * holds its readings), drops duplicates (a QoS 1 redelivery, an HTTP retry) and publishes {@value
 * dev.homelab.core.telemetry.SensorIngest#TOPIC}; {@link
 * dev.homelab.core.telemetry.SensorCollector} feeds committed readings into the metric tiers, from
 * which {@link dev.homelab.core.telemetry.SensorHistory} answers history queries.
 */
package dev.homelab.core.telemetry;
