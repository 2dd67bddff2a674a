/**
 * The server itself: its health ({@code /health}), the host's state, the storage and the dashboard
 * ({@link dev.homelab.client.system.SystemApi}), and the settings ({@link
 * dev.homelab.client.system.SettingsApi}).
 */
package dev.homelab.client.system;
