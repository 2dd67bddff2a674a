/** The OSHI-based host monitor. Not an API. */
package dev.homelab.core.monitor.impl;
