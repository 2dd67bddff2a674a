/**
 * Settings: JSON values under a key, shared by every instance, changed only by administrators
 * through {@link dev.homelab.core.settings.Settings}, which audits each change in its transaction.
 */
package dev.homelab.core.settings;
