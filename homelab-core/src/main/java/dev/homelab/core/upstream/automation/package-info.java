/**
 * The client of the automation-container API of seed 003: {@link
 * dev.homelab.core.upstream.automation.AutomationClient} with its {@link
 * dev.homelab.core.upstream.automation.AutomationOptions} and the records it reads ({@link
 * dev.homelab.core.upstream.automation.Automation}, {@link
 * dev.homelab.core.upstream.automation.AutomationList}, {@link
 * dev.homelab.core.upstream.automation.AutomationAction}). Logs are followed through one shared
 * upstream connection per automation.
 */
package dev.homelab.core.upstream.automation;
