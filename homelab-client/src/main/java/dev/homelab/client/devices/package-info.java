/**
 * Devices ({@code /api/devices}): {@link dev.homelab.client.devices.DevicesApi}, its wire records
 * and its paged query.
 */
package dev.homelab.client.devices;
