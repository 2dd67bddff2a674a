/** The in-process event hub. Not a supported API. */
package dev.homelab.core.events.impl;
