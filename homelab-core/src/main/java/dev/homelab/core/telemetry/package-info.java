/**
 * Telemetry: what devices report.
 *
 * <p>Sensor readings: {@link dev.homelab.core.telemetry.SensorIngest} validates readings, stores
 * them durably with group commit (a caller's future completes only after the commit that holds its
 * readings), drops duplicates (a QoS 1 redelivery, an HTTP retry) and publishes {@value
 * dev.homelab.core.telemetry.SensorIngest#TOPIC}; {@link
 * dev.homelab.core.telemetry.SensorCollector} feeds committed readings into the metric tiers, from
 * which {@link dev.homelab.core.telemetry.SensorHistory} answers history queries.
 *
 * <p>Device states: {@link dev.homelab.core.telemetry.DeviceStateRecorder} records the state
 * history of zigbee2mqtt devices heard through the MQTT bridge (seed 003's {@code device_states}),
 * once, on the instance that leads, and feeds their numeric fields to the metric tiers ({@link
 * dev.homelab.core.telemetry.DeviceStateSeries}); {@link
 * dev.homelab.core.telemetry.DeviceStateHistory} reads a device's history back. {@link
 * dev.homelab.core.telemetry.Zigbee2Mqtt} knows zigbee2mqtt's topics and payloads. The history is
 * kept behind the port {@link dev.homelab.core.telemetry.DeviceStateRepository}.
 */
package dev.homelab.core.telemetry;
