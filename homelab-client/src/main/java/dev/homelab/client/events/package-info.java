/**
 * The server's event stream ({@code /api/events} over Server-Sent Events, {@code /ws} over a
 * WebSocket): {@link dev.homelab.client.events.EventsApi} subscribes, and each {@link
 * dev.homelab.client.events.EventSubscription} reconnects and resumes by itself.
 */
package dev.homelab.client.events;
