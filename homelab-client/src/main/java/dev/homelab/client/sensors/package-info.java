/**
 * Sensor readings: sending them ({@code POST /api/sensors/ingest}) and reading a device's history
 * ({@code GET /api/sensors/readings}).
 */
package dev.homelab.client.sensors;
