/** The machinery of telemetry: the group-commit writer. */
package dev.homelab.core.telemetry.impl;
