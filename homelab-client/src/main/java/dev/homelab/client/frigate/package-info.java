/**
 * The Frigate NVR through the server ({@code /api/frigate}): {@link
 * dev.homelab.client.frigate.FrigateApi}, its blocking twin, its wire records and its event query.
 */
package dev.homelab.client.frigate;
