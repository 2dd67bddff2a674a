/**
 * The automation containers through the server ({@code /api/automations}): {@link
 * dev.homelab.client.automations.AutomationsApi}, its blocking twin, its wire records and the log
 * listener.
 */
package dev.homelab.client.automations;
