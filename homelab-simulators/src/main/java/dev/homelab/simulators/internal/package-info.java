/**
 * Machinery the simulators share (authentication, request log, injected faults). Not an API: it may
 * change with any simulator.
 */
package dev.homelab.simulators.internal;
