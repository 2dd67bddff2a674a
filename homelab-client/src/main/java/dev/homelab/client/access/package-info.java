/**
 * Access control: decisions for card readers, the access log, card policies and reader groups
 * ({@code /api/access}, {@code /api/policies}), through {@link
 * dev.homelab.client.access.AccessApi}.
 */
package dev.homelab.client.access;
