package dev.homelab.core.upstream;

import java.time.Instant;

/**
 * What the detailed health shows of one upstream: whether its last probe got an answer, how long
 * that took, and the state of its circuit breaker. Never a URL or a credential.
 *
 * @param name the upstream's configured name, such as {@code proxmox nas}
 * @param reachable whether the last probe was answered (any HTTP status counts as reachable)
 * @param latencyMillis how long the last probe took, or -1 when it was not answered
 * @param breaker the circuit breaker's state: {@code CLOSED}, {@code OPEN} or {@code HALF_OPEN}
 * @param checkedAt when the probe ran
 * @param error why it was not reachable, or {@code null}
 */
public record UpstreamStatus(
    String name,
    boolean reachable,
    long latencyMillis,
    String breaker,
    Instant checkedAt,
    String error) {}
